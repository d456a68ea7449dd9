import Foundation
import Testing
@testable import LedeCore

/// A site written to a temporary folder from a dictionary of files, in the
/// style of Hugo's integration tests: write the files, build, assert on output.
final class TestSite {
    let root: String

    init(_ files: [String: String], function: String = #function) throws {
        let name = function.filter { $0.isLetter || $0.isNumber }
        root = NSTemporaryDirectory() + "lede-test-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: root + "/" + path) }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root + "/" + path) }

    @discardableResult
    func build(drafts: Bool = false, future: Bool = false, baseURL: String? = nil) throws -> BuildReport {
        var options = BuildOptions(siteRoot: root, drafts: drafts, future: future, baseURL: baseURL)
        options.workers = 2
        return try SiteBuilder.build(options)
    }

    /// Builds and expects failure; returns the diagnostics.
    func buildErrors() -> [Diagnostic] {
        do {
            try build()
            Issue.record("the build should have failed")
            return []
        } catch let error as Diagnostics {
            return error.all
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    /// Every file under public/ with its bytes, to compare whole outputs.
    func snapshot(_ folder: String = "public") throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = root + "/" + folder
        guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
        for case let rel as String in walker {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = FileManager.default.contents(atPath: base + "/" + rel)
            }
        }
        return out
    }
}

/// The repository's root folder (for content/ and templates/).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `lede` executable, next to the test bundle.
let ledeExecutable: String = {
    var dir = Bundle.main.bundleURL
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("lede").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return repositoryRoot + "/.build/debug/lede"
}()

/// Runs a program and returns its exit status and output.
@discardableResult
func run(_ executable: String, _ arguments: [String], in directory: String? = nil, input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if input != nil { process.standardInput = Pipe() }
    try process.run()
    if let input, let pipe = process.standardInput as? Pipe {
        pipe.fileHandleForWriting.write(Data(input.utf8))
        try pipe.fileHandleForWriting.close()
    }
    // Read both pipes while the process runs, so a full pipe cannot block it.
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Finds a program on PATH.
func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A minimal valid article.
func article(_ title: String, date: String = "2024-01-01", tags: [String] = [], extra: String = "", body: String = "Some text.") -> String {
    var s = "---\ntitle: \"\(title)\"\ndate: \(date)\n"
    if !tags.isEmpty { s += "tags: [\(tags.joined(separator: ", "))]\n" }
    s += extra
    s += "---\n\n\(body)\n"
    return s
}
