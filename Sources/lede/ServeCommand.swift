import ArgumentParser
import Foundation
import LedeCore
import LedeServe

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site: build it, serve it, rebuild on every save and reload the browser.",
        discussion: """
            Builds the site into a temporary folder (public/ is not touched), serves it on \
            http://127.0.0.1:8000/ and watches content/, templates/ and static/. Every save \
            rebuilds the site and reloads the pages open in the browser; a stylesheet change \
            swaps the stylesheet without reloading. A build error does not stop the server: \
            the browser shows it (path:line:col and message) until the file is fixed. \
            Ctrl-C stops the server. Exit status: 0 stopped, 1 could not listen, 2 bad usage.
            """)

    @OptionGroup var site: SiteOptions

    @Option(help: ArgumentHelp("The port to listen on (0 picks a free one).", valueName: "PORT"))
    var port: Int = 8000

    @Option(help: ArgumentHelp("The address to listen on; only this machine by default. 0.0.0.0 opens the preview to the network.", valueName: "HOST"))
    var host: String = "127.0.0.1"

    @Flag(help: "Include articles marked `draft: true`.")
    var drafts = false

    @Flag(help: "Include articles dated in the future.")
    var future = false

    @Flag(help: "Open the site in the default browser once it is built.")
    var open = false

    @Flag(help: "Watch the sources by polling instead of inotify (for network and container file systems).")
    var poll = false

    @Option(help: ArgumentHelp("Build into this folder instead of a temporary one (it is replaced by each build).", valueName: "DIR"))
    var output: String?

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (0 picks a free port), not \(port)")
        }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty; use 127.0.0.1") }
        if let output {
            let out = URL(fileURLWithPath: output).standardizedFileURL.path
            let root = site.siteRoot
            func overlaps(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b + "/") || b.hasPrefix(a + "/") }
            for source in ["content", "templates", "static"] where overlaps(out, root + "/" + source) {
                throw ValidationError("--output \(output) would overwrite the site's \(source)/ folder (it is replaced by each build); choose a folder outside it, or leave --output out")
            }
        }
    }

    func run() throws {
        // Ctrl-C must work even when whoever started lede had SIGINT blocked
        // (a blocked mask is inherited through fork and exec, e.g. from a
        // libdispatch worker thread): unblock it here, before any thread is
        // started, so that every thread inherits the unblocked mask.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        guard FileManager.default.fileExists(atPath: site.siteRoot + "/content") else {
            printError("\(site.siteRoot)/content:1:1: error: there is no content/ folder here; run lede serve in a site folder (one holding content/), or pass --source DIR")
            throw ExitCode(1)
        }
        var options = ServeOptions(siteRoot: site.siteRoot)
        options.host = host
        options.port = port
        options.drafts = drafts
        options.future = future
        options.output = output
        if poll { options.watchMode = .polling(milliseconds: 250) }
        let server: DevServer
        do {
            server = try DevServer(options: options, say: { line in
                // Unbuffered, so that each line shows at once, even through a pipe.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            })
        } catch {
            printError("error: cannot create a folder to build into: \(error)")
            throw ExitCode(1)
        }
        let openBrowser = open
        let host = options.host
        final class Outcome: @unchecked Sendable { var error: (any Error)? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        if openBrowser {
            Task.detached {
                if let port = try? await server.waitUntilReady() {
                    Serve.openInBrowser(DevServer.url(host: host, port: port))
                }
            }
        }
        Task.detached {
            do {
                try await server.runUntilInterrupted()
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            if let serveError = error as? ServeError {
                printError("error: \(serveError)")
            } else {
                printError("error: \(error)")
            }
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data("stopped\n".utf8))
    }

    static func openInBrowser(_ url: String) {
        #if os(macOS)
        let opener: String? = "/usr/bin/open"
        #else
        let opener = ["/usr/bin/xdg-open", "/usr/local/bin/xdg-open"].first { FileManager.default.isExecutableFile(atPath: $0) }
        #endif
        guard let opener else {
            printError("--open: found no xdg-open to start a browser; open \(url) yourself")
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: opener)
        p.arguments = [url]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { printError("--open: could not start \(opener): \(error); open \(url) yourself") }
    }
}
