import Testing
@testable import LedeCore

@Suite struct FrontMatterTests {
    func read(_ text: String) throws -> (FrontMatter, [Diagnostic], SplitSource) {
        let source = SourceFile(path: "content/a.md", text: text)
        let split = try FrontMatterSplitter.split(source)
        var reader = YAMLReader(path: source.path, firstLine: split.yamlLine)
        let fm = reader.frontMatter(try reader.parse(split.yaml ?? ""))
        return (fm, reader.diagnostics, split)
    }

    @Test func splitsFrontMatterFromBody() throws {
        let (fm, problems, split) = try read("---\ntitle: Hello\ndate: 2018-07-16\ntags: [a, b]\n---\n\n# Body\n")
        #expect(fm.title == "Hello")
        #expect(fm.date == DateTime(year: 2018, month: 7, day: 16))
        #expect(fm.tags == ["a", "b"])
        #expect(problems.isEmpty)
        #expect(split.bodyLine == 6)
    }

    @Test func acceptsCRLFAndDotsTerminator() throws {
        let (fm, _, split) = try read("---\r\ntitle: Windows\r\n...\r\nBody\r\n")
        #expect(fm.title == "Windows")
        #expect(split.bodyLine == 4)
    }

    @Test func fileWithoutFrontMatterIsAllBody() throws {
        let source = SourceFile(path: "x.md", text: "# Just Markdown\n")
        let split = try FrontMatterSplitter.split(source)
        #expect(split.yaml == nil)
        #expect(split.body == 0..<source.bytes.count)
    }

    @Test func unclosedFrontMatterIsAnError() {
        let source = SourceFile(path: "content/open.md", text: "---\ntitle: Never closed\n\nBody text\n")
        #expect(throws: Diagnostic.self) { try FrontMatterSplitter.split(source) }
        do { _ = try FrontMatterSplitter.split(source) } catch {
            #expect(error.path == "content/open.md")
            #expect(error.line == 1)
            #expect(error.message.contains("never ends"))
        }
    }

    @Test func tomlFrontMatterIsRefusedWithAHint() {
        let source = SourceFile(path: "content/t.md", text: "+++\ntitle = 'x'\n+++\n")
        do { _ = try FrontMatterSplitter.split(source); Issue.record("expected an error") } catch {
            #expect(error.message.contains("YAML"))
        }
    }

    @Test func invalidYAMLPointsAtTheFileLine() throws {
        let source = SourceFile(path: "content/bad.md", text: "---\ntitle: ok\ntags: [a, b\nsummary: x\n---\nBody\n")
        let split = try FrontMatterSplitter.split(source)
        let reader = YAMLReader(path: source.path, firstLine: split.yamlLine)
        do { _ = try reader.parse(split.yaml!); Issue.record("expected an error") } catch {
            #expect(error.path == "content/bad.md")
            // The unclosed flow sequence is reported on a line of the YAML, counted in the file.
            #expect(error.line >= 3 && error.line <= 5)
            #expect(error.message.contains("invalid YAML"))
        }
    }

    @Test func unknownKeysWarnWithTheirLine() throws {
        let (_, problems, _) = try read("---\ntitle: T\nsubtitle: nope\n---\n")
        #expect(problems.count == 1)
        #expect(problems[0].severity == .warning)
        #expect(problems[0].line == 3)
        #expect(problems[0].message.contains("subtitle"))
    }

    @Test func badValuesAreErrorsAtTheirLine() throws {
        let (_, problems, _) = try read("---\ntitle: T\ndate: 2018-02-30\ndraft: maybe\n---\n")
        #expect(problems.map(\.line) == [3, 4])
        #expect(problems.allSatisfy { $0.severity == .error })
        #expect(problems[0].message.contains("YYYY-MM-DD"))
    }

    @Test func takeawaysAndTimelineEntries() throws {
        let (fm, problems, _) = try read("""
            ---
            title: T
            takeaways:
              - One thing.
              - Another thing.
            timeline:
              - {date: 1945-05-08, text: Germany surrenders}
              - {date: 1940s, text: A decade}
              - {date: 1939, end: 1945, text: The war, title: World War II}
              - {date: 2016, remove: true}
            genre: narrative
            ---
            """)
        #expect(problems.isEmpty)
        #expect(fm.takeaways == .list(["One thing.", "Another thing."]))
        #expect(fm.timeline.map(\.value) == ["1945-05-08", "194", "1939", "2016"])
        #expect(fm.timeline[2].endValue == "1945")
        #expect(fm.timeline[3].remove)
        #expect(fm.genre == .narrative)
        let (off, _, _) = try read("---\ntitle: T\ntakeaways: false\n---\n")
        #expect(off.takeaways == .off)
    }

    @Test func timelineEntryWithoutTextOrWithABadDateIsAnError() throws {
        let (_, problems, _) = try read("---\ntitle: T\ntimeline:\n  - {date: 1945}\n  - {date: someday, text: x}\n---\n")
        #expect(problems.count == 2)
        #expect(problems.map(\.line) == [4, 5])
    }

    @Test func aliasesThatExplodeAreRefused() throws {
        var yaml = "---\ntitle: T\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for k in 1...9 { yaml += "a\(k): &a\(k) [*a\(k - 1), *a\(k - 1), *a\(k - 1), *a\(k - 1), *a\(k - 1), *a\(k - 1), *a\(k - 1), *a\(k - 1), *a\(k - 1), *a\(k - 1)]\n" }
        yaml += "tags: *a9\n---\n"
        do {
            _ = try read(yaml)
            Issue.record("expected the front matter to be refused")
        } catch let error as Diagnostic {
            #expect(error.message.contains("too many values"))
        }
    }

    @Test func datesParseAndFormat() {
        let d = DateTime(parsing: "2018-07-16T14:30:00+02:00")!
        #expect(d.hasTime && d.utcOffset == 120)
        #expect(d.rfc3339 == "2018-07-16T14:30:00+02:00")
        #expect(DateTime(parsing: "2018-07-16")!.display == "July 16, 2018")
        #expect(DateTime(parsing: "2020-02-29") != nil)
        #expect(DateTime(parsing: "2019-02-29") == nil)
        #expect(DateTime(parsing: "2018-13-01") == nil)
        #expect(DateTime(parsing: "July 4") == nil)
        #expect(DateTime(parsing: "1970-01-02")!.epochSeconds == 86400)
    }
}
