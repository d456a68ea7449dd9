import Testing
@testable import LedeCore

/// Reading TIMEX3 values (`TimexDate.init`): every field, and the values
/// that are not points in time.
@Suite struct TimexValueTests {
    struct Case: CustomStringConvertible, Sendable {
        let value: String
        let fields: String?  // "year month day hour minute part precision", nil when refused
        var description: String { value }
    }

    static let cases: [Case] = [
        .init(value: "1990", fields: "1990 - - - - - year"),
        .init(value: "1990-07", fields: "1990 7 - - - - month"),
        .init(value: "1990-07-04", fields: "1990 7 4 - - - day"),
        .init(value: "2000-02-29", fields: "2000 2 29 - - - day"),
        .init(value: "1990-07-04T14:30", fields: "1990 7 4 14 30 - time"),
        .init(value: "1990-07-04T14:30:15Z", fields: "1990 7 4 14 30 - time"),
        .init(value: "1990-07-04T14", fields: "1990 7 4 14 - - time"),
        .init(value: "1990-07-04T14:3", fields: "1990 7 4 14 - - time"),
        .init(value: "1990-07-04TMO", fields: "1990 7 4 - - MO time"),
        .init(value: "1990-07-04TNI", fields: "1990 7 4 - - NI time"),
        .init(value: "1990-SU", fields: "1990 - - - - SU season"),
        .init(value: "1990-WI", fields: "1990 - - - - WI season"),
        .init(value: "1990-Q3", fields: "1990 - - - - Q3 quarter"),
        .init(value: "1990-H2", fields: "1990 - - - - H2 quarter"),
        .init(value: "1990-W05", fields: "1990 - - - - W05 week"),
        .init(value: "1990-W53", fields: "1990 - - - - W53 week"),
        .init(value: "199", fields: "1990 - - - - - decade"),
        .init(value: "19", fields: "1900 - - - - - century"),
        .init(value: "BC0044", fields: "-43 - - - - - year"),
        .init(value: "-0043", fields: "-43 - - - - - year"),
        .init(value: "BC047", fields: "-478 - - - - - decade"),
        .init(value: "BC04", fields: "-498 - - - - - century"),
        .init(value: "0001", fields: "1 - - - - - year"),
        // Not points in time, or not values at all.
        .init(value: "", fields: nil), .init(value: "BC", fields: nil), .init(value: "PRESENT_REF", fields: nil),
        .init(value: "XXXX-07", fields: nil), .init(value: "19901", fields: nil), .init(value: "1", fields: nil),
        .init(value: "1990-13", fields: nil), .init(value: "1990-00", fields: nil), .init(value: "1990-7", fields: nil),
        .init(value: "1990-02-29", fields: nil), .init(value: "1990-07-32", fields: nil), .init(value: "1990-07-4", fields: nil),
        .init(value: "1990-07-004", fields: nil), .init(value: "1990-07T10:00", fields: nil), .init(value: "1990-07-04TXX", fields: nil),
        .init(value: "1990-07-04T25:00", fields: nil), .init(value: "1990-Q5", fields: nil), .init(value: "1990-W54", fields: nil),
        .init(value: "1990-W00", fields: nil), .init(value: "1990-XX", fields: nil), .init(value: "1990-", fields: nil),
        .init(value: "1990x", fields: nil), .init(value: "199x", fields: nil), .init(value: "1990-07-04x", fields: nil),
        .init(value: "1990-W05-3", fields: nil), .init(value: "１９９０", fields: nil), .init(value: "1990-SU-01", fields: nil),
    ]

    @Test(arguments: cases) func fieldsOfAValue(_ c: Case) {
        let d = TimexDate(c.value)
        func text(_ n: Int?) -> String { n.map { String($0) } ?? "-" }
        let fields = d.map { d -> String in
            let parts: [String] = [String(d.year), text(d.month), text(d.day), text(d.hour), text(d.minute), d.part ?? "-", "\(d.precision)"]
            return parts.joined(separator: " ")
        }
        #expect(fields == c.fields)
        #expect(d.map(\.value) == (c.fields == nil ? nil : c.value))
    }

    /// A timeline splits a long year's sorted events into pages by
    /// `monthSlot`: each slot must be one run of that order, in slot order.
    @Test func valuesOfAYearSortIntoRunsByMonthSlot() throws {
        let values = ["1990", "1990-01", "1990-01-31T23:59", "1990-W01", "1990-W05", "1990-W09", "1990-02-01", "1990-H1", "1990-Q1",
                      "1990-SP", "1990-03-01", "1990-06", "1990-SU", "1990-Q3", "1990-H2", "1990-07-04TMO", "1990-W27", "1990-W53",
                      "1990-FA", "1990-WI", "1990-12-31", "BC0044"]
        let dates = try values.map { try #require(TimexDate($0), "\($0)") }.sorted { $0.sortKey < $1.sortKey }
        let runs = dates.map { [$0.year, $0.monthSlot] }
        #expect(runs == runs.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
        let slots = Dictionary(dates.map { ($0.value, $0.monthSlot) }, uniquingKeysWith: { a, _ in a })
        #expect(slots["1990"] == 0)
        #expect(slots["BC0044"] == 0)
        #expect(slots["1990-W01"] == 1)
        #expect(slots["1990-W05"] == 1)
        #expect(slots["1990-W09"] == 2)
        #expect(slots["1990-W53"] == 12)
        #expect(slots["1990-SU"] == 6)
        #expect(slots["1990-H2"] == 7)
        #expect(slots["1990-WI"] == 0)
        #expect(slots["1990-07-04TMO"] == 7)
    }
}
