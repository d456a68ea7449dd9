// Measures the temporal tagger's speed on one core: MB of prose per second.
//
//   swift build -c release --product lede-bench-tagger
//   .build/release/lede-bench-tagger [--mb N] [FILE ...]
//
// Without files it tags a generated corpus of explainer prose (dated sentences
// in many forms mixed with plain sentences, about one date every 25 words);
// with files it tags their contents. It prints the best of several runs.
import Foundation
import LedeCore

var targetMB = 8
var files: [String] = []
var args = CommandLine.arguments.dropFirst()
while let a = args.first {
    args = args.dropFirst()
    if a == "--mb", let v = args.first, let n = Int(v) { targetMB = n; args = args.dropFirst() } else { files.append(a) }
}

/// A deterministic generator (xorshift), so every run tags the same text.
struct Rng {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    mutating func next(_ n: Int) -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Int(state % UInt64(n))
    }
}

func generatedProse(bytes: Int) -> [UInt8] {
    let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]
    let subjects = ["The committee", "Negotiators", "The two leaders", "Parliament", "The central bank", "Observers",
                    "The court", "Émile Durand’s coalition", "The union", "Regional officials"]
    let verbs = ["met in", "signed an accord in", "published a report in", "voted on the plan in", "held talks in"]
    let places = ["Helsinki", "Geneva", "Vienna", "Osaka", "Nairobi", "Lima", "Québec", "Ankara"]
    let plain = [
        "The stakes were high, and expectations differed widely among the parties.",
        "Critics questioned whether the talks would produce anything concrete — or merely photographs.",
        "Supporters argued that direct contact opened channels that had long been closed.",
        "About 1,500 troops and 2000 vehicles took part, according to “official” figures.",
        "Analysts may march to a different drum, but they agree on the basic facts of the case.",
        "Room 1999 of the old hotel, where the Boeing 747 crews stayed, is now a small museum.",
    ]
    var rng = Rng()
    var out = ""
    out.reserveCapacity(bytes + 200)
    while out.utf8.count < bytes {
        let y = 1900 + rng.next(124)
        let m = months[rng.next(12)]
        let d = 1 + rng.next(28)
        let date: String
        switch rng.next(10) {
        case 0: date = "On \(m) \(d), \(y),"
        case 1: date = "In \(m) \(y),"
        case 2: date = "In \(y),"
        case 3: date = "On \(d) \(m) \(y),"
        case 4: date = "Between \(m) and \(months[rng.next(12)]) \(y),"
        case 5: date = "Two weeks later,"
        case 6: date = "The following year,"
        case 7: date = "From \(y) to \(y + 1 + rng.next(6)),"
        case 8: date = "By the late \(y / 10 * 10)s,"
        default: date = "Last Tuesday,"
        }
        out += "\(date) \(subjects[rng.next(subjects.count)]) \(verbs[rng.next(verbs.count)]) \(places[rng.next(places.count)]). "
        for _ in 0..<(1 + rng.next(3)) { out += plain[rng.next(plain.count)] + " " }
        if rng.next(6) == 0 { out += "\n\n" }
    }
    return Array(out.utf8)
}

var text: [UInt8] = []
if files.isEmpty {
    text = generatedProse(bytes: targetMB * 1_000_000)
} else {
    for f in files {
        guard let d = FileManager.default.contents(atPath: f) else { FileHandle.standardError.write(Data("cannot read \(f)\n".utf8)); exit(1) }
        text += Array(d); text.append(0x0A)
    }
    // Repeat small inputs so a run lasts long enough to time.
    let once = text
    while text.count < targetMB * 1_000_000 { text += once }
}

/// CPU time of this thread, so that other processes on a shared machine do not count.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let reference = DateTime(year: 2024, month: 5, day: 17)
var best = Double.infinity
var bestWall = Double.infinity
var found = 0
for _ in 0..<7 {
    var tagger = TemporalTagger(referenceDate: reference, genre: nil)
    let w0 = DispatchTime.now().uptimeNanoseconds
    let t0 = threadCPUSeconds()
    let result = text.withUnsafeBufferPointer { tagger.tag($0) }
    let t1 = threadCPUSeconds()
    let w1 = DispatchTime.now().uptimeNanoseconds
    found = result.count
    best = min(best, t1 - t0)
    bestWall = min(bestWall, Double(w1 - w0) / 1e9)
}
let mb = Double(text.count) / 1_000_000
print(String(format: "tagged %.1f MB: %.1f MB/s of CPU time on one core (%.3f s), %.1f MB/s wall clock; best of 7; %d expressions",
             mb, mb / best, best, mb / bestWall, found))
