import Testing
@testable import LedeCore

/// The calendar arithmetic under relative expressions.
@Suite("Dates calendar")
struct DatesCalendarTests {
    @Test func daysRoundTrip() {
        for (y, m, d) in [(1970, 1, 1), (1969, 12, 31), (2000, 2, 29), (1776, 7, 4), (1, 1, 1), (2100, 3, 1)] {
            let c = Cal.civil(Cal.days(y, m, d))
            #expect(c.y == y && c.m == m && c.d == d, "\(y)-\(m)-\(d)")
        }
        #expect(Cal.days(1970, 1, 2) == 1)
        #expect(Cal.days(1969, 12, 31) == -1)
    }

    @Test func weekdaysAndISOWeeks() {
        #expect(Cal.weekday(2019, 3, 15) == 5)   // a Friday
        #expect(Cal.weekday(1776, 7, 4) == 4)    // a Thursday
        #expect(Cal.isoWeek(2019, 3, 15) == (2019, 11))
        #expect(Cal.isoWeek(2021, 1, 3) == (2020, 53))  // belongs to the last week of 2020
        #expect(Cal.isoWeek(2018, 12, 31) == (2019, 1))
        #expect(Cal.civil(Cal.mondayOf(isoYear: 2020, week: 53)) == (2020, 12, 28))
    }

    @Test func monthsAndHolidays() {
        #expect(Cal.addMonths(2019, 11, 3) == (2020, 2))
        #expect(Cal.addMonths(2019, 2, -3) == (2018, 11))
        #expect(TemporalTagger.holidayDate(.thanksgiving, 2018) == (11, 22))
        #expect(TemporalTagger.holidayDate(.easter, 2024) == (3, 31))
        #expect(TemporalTagger.holidayDate(.labor, 2019) == (9, 2))
        #expect(TemporalTagger.holidayDate(.memorial, 2019) == (5, 27))
        #expect(TemporalTagger.holidayDate(.election, 2020) == (11, 3))
    }

    @Test func durationValues() {
        #expect(TimexFormat.duration(3, .year) == "P3Y")
        #expect(TimexFormat.duration(nil, .month) == "PXM")
        #expect(TimexFormat.duration(2, .hour) == "PT2H")
        #expect(TimexFormat.duration(2.5, .year) == "P2Y6M")
        #expect(TimexFormat.duration(0.5, .hour) == "PT30M")
        #expect(TimexFormat.duration(1, .fortnight) == "P2W")
    }
}
