import Testing
@testable import LedeCore

/// Numbers and words that look like dates but are not.
@Suite("Tagger not-dates")
struct TaggerNotDatesTests {
    @Test(arguments: [
        "About 1,500 troops crossed the river.",
        "The disease was found in 2000 cases.",
        "The meeting was held in Room 1999 of the hotel.",
        "The crew flew a Boeing 747 across the ocean.",
        // codes that begin like a report's period ("H1"), and abbreviations before numbers
        "The H1N1 strain and H1B visas made the news.",
        "Take vitamin C 1000 tablets, as section c. 12 of the label says.",
        "Install version 2020.01.02 of the tool.",
        "The Model C 1999 edition and the Group H 2024 draw sold out.",
        // A name and a number that are not a range of years stay an identifier; a range of quantities stays quantities.
        "The exiles of Brigade 2506 landed at the bay.",
        // a quarter as a fraction
        "Sales fell by a quarter, a decrease of about a quarter in the quantity sold.",
        "Truman signed Proclamation No. 2014, and it is Vol. 1999 of the series.",
        "They counted about 1200-1250 soldiers.",
        "You may march in august company if you like.",
        "Doctors may soon march on the capital.",
        "The fund grew by 2000 dollars.",
        // "over" a number is more than it, unless a year follows as the period ("over 2023 as a whole")
        "Over 2000 people came, and the toll rose to over 2000.",
        // a weekday in the name of a day is no day of the week the text is in
        "Pubs reopened on what some called Super Saturday, and updates come on Patch Tuesday.",
        "He paid $1990 for the car.",
        "Turnout was 1999% higher, said nobody.",
        "The score was 3:1 at half time.",
        "Call extension 2017 for details.",
        "It weighed 1850 kg when loaded.",
        "About 2,016 people signed the petition.",
        "The Arab Spring changed the region.",
        // a capitalized "Today" after a name is part of it
        "A poll by USA Today found wide support, and the BBC and NBC Today carried it.",
        "Leaves fall in the garden and fall again.",
        "The shop is on the 2nd and 3rd floors.",
        "The firm has 1998 employees in 2,000 offices.",
        "A 10-year-old boy was rescued.",
        "Mr. Smith, 52 years old, will retire.",
        "The plan is open to staff 55 years old or older.",
        "They watched High Noon again; it was high noon for the party.",
        "The quarter-to-quarter comparison improved.",
        "A year-to-date gain and year-over-year growth.",
        // "in months" only as the end of a phrase ("the lowest in months") is a length of time
        "Rent is counted in months with a fixed length.",
        // "the day after" an event names no day to count from
        "Two men came to the house the day after his death.",
    ])
    func notADate(_ sentence: String) {
        #expect(tagged(sentence).isEmpty, "\(sentence.debugDescription): \(tagged(sentence))")
    }

    /// "fall" as a verb after "to" or "and" with no date before them, in a
    /// history (where a bare season is a date: "in the fall the army ...").
    @Test func fallAsAVerbInANarrative() {
        let story = "In 1917 the army began to fall apart, and prices continued to fall in value. The rise and fall of the empire is a long story."
        #expect(tagged(story, genre: .narrative).map(\.text) == ["1917"])
    }

    /// In a history "former" is a past reference ("former president
    /// Roosevelt"), but not "the former" set against "the latter" or standing
    /// for a noun.
    @Test func theFormerAndTheLatterAreNotDates() {
        #expect(tagged("In 1941 the military did not consider the former an option.", genre: .narrative).map(\.text) == ["1941"])
        #expect(tagged("In 1943 they met in Cairo and Tehran. The former conference settled the islands, while the latter settled Poland.", genre: .narrative).map(\.text) == ["1943"])
        #expect(tagged("In 1915 former president Roosevelt denounced the war.", genre: .narrative).map(\.text) == ["1915", "former"])
    }

    @Test func mayAndMarchAsWordsButNotAsMonths() {
        #expect(tagged("Officials may march to the square.").isEmpty)
        #expect(tagged("They met in May and marched in March.").map(\.text) == ["May", "March"])
        #expect(tagged("Theresa May spoke.").isEmpty)
    }

    @Test func yearsNextToQuantitiesStayYears() {
        #expect(tagged("In 1990 sales rose sharply.").map(\.value) == ["1990"])
        #expect(tagged("By 1776 was the rebellion lost?").map(\.value) == ["1776"])
        #expect(tagged("The year 1998 was hot.").map(\.value) == ["1998"])
    }

    @Test func datesInCodeSpansAreNotProse() throws {
        let md = "Run `date --since 2019-05-01` and then, in June 2019, check.\n\n```\nbuilt 2018-07-16\n```\n"
        let found = try ProseDates.tagMarkdown(SourceFile(path: "a.md", text: md), referenceDate: DateTime(year: 2020, month: 1, day: 1))
        let bytes = Array(md.utf8)
        #expect(found.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == ["June 2019"])
    }
}
