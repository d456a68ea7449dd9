import Testing
@testable import LedeCore

/// Rules for news reports that place an expression from the rest of the document: the quarter a
/// report is about for its comparisons, and TimeML's signals.
@Suite("Tagger report rules")
struct TaggerReportTests {
    func value(_ text: String, _ expression: String, reference: String, genre: DocumentGenre? = .news) -> Found? {
        tagged(text, reference: reference, genre: genre).first { $0.text == expression }
    }

    // MARK: The quarter a report is about

    @Test func comparisonsReferToTheReportedQuarterNotAnAside() {
        let found = tagged("""
            Net rose in the third quarter from a year ago. After a flat second quarter, margins improved. \
            Charges were taken in the year-earlier period. In the 2019 period, taxes were lower than a year ago.
            """, reference: "2019-11-01")
        #expect(found.map(\.value) == ["2019-Q3", "2018-Q3", "2019-Q2", "2018-Q3", "2019-Q3", "2018-Q3"], "\(found)")
    }

    @Test func theClosingDayOfAQuarterKeepsTheQuarterInView() {
        let found = tagged("Net rose in the fiscal first quarter ended Sept. 30. It lost money a year ago.", reference: "2019-10-26")
        #expect(found.last == Found(text: "a year ago", type: "DATE", value: "2018-Q1"), "\(found)")
    }

    @Test func aYearFromNowIsNotTheReportedQuarter() {
        // Only a look back ("a year ago") compares with the quarter reported on; "a year from now"
        // counts from the date of writing.
        let found = tagged("Net income fell in the fourth quarter. A year from now the plant will reopen.", reference: "2013-03-15")
        #expect(found.map(\.value) == ["2012-Q4", "2014"], "\(found)")
    }

    @Test func aComparisonAfterALongerPeriodIsAYear() {
        let found = tagged("Net rose in the third quarter. For the nine months, net fell to $5 million from $8 million a year earlier.",
                           reference: "2019-11-01")
        #expect(found.last == Found(text: "a year earlier", type: "DATE", value: "2018"), "\(found)")
        let cents = tagged("Net rose in the third quarter. For the nine months, net was $18.9 million, or 97 cents a share, " +
                           "compared with a loss of $9.7 million a year earlier.", reference: "2019-11-01")
        #expect(cents.last == Found(text: "a year earlier", type: "DATE", value: "2018"), "\(cents)")
        // In the quarter's own sentence the comparison stays the quarter.
        let q = tagged("Net rose in the third quarter to $5 million from $4 million a year earlier.", reference: "2019-11-01")
        #expect(q.last == Found(text: "a year earlier", type: "DATE", value: "2018-Q3"), "\(q)")
    }

    @Test func aFiscalQuarterMayBearTheNameOfTheCurrentQuarter() {
        // Reported on 2 November: the fiscal fourth quarter ended in September.
        let found = tagged("""
            Ralston reported a 47% decline in fourth-quarter earnings. It earned $45 million, compared with \
            $85 million a year earlier. Sales in the latest period were $1.76 billion.
            """, reference: "2019-11-02")
        #expect(found.map(\.value) == ["2019-Q4", "2018-Q4", "2019-Q4"], "\(found)")
        // A quarter still ahead is not what a report is about.
        let ahead = tagged("""
            Net rose in the third quarter. The storm will mean a fourth-quarter charge. Sales in the latest quarter rose \
            from a year ago.
            """, reference: "2019-11-02")
        #expect(ahead.map(\.value) == ["2019-Q3", "2019-Q4", "2019-Q3", "2018-Q3"], "\(ahead)")
    }

    @Test func lastYearSetAgainstAnAmountIsTheReportedQuarter() {
        // In a report on a quarter, "last year" as the second term of a comparison of amounts is that
        // quarter a year before, as "a year ago" is (TimeBank: 1988-Q3).
        let found = tagged("""
            Travelers reported third-quarter net of $97 million. Its benefits group earned $24 million, compared \
            with a loss of $3 million last year. Sales were $1.76 billion, up from last year's $1.55 billion. \
            Sales for the corresponding period last year were lower.
            """, reference: "2019-11-02")
        #expect(found.map(\.value) == ["2019-Q3", "2018-Q3", "2018-Q3", "2018-Q3"], "\(found)")
        // Not after a longer period, not without an amount, not without a quarter in view.
        let nine = tagged("Net rose in the third quarter. In the nine months, net rose to $525.8 million from $504.2 million last year.",
                          reference: "2019-11-02")
        #expect(nine.last?.value == "2018", "\(nine)")
        let plain = tagged("Net rose in the third quarter. Last year catastrophe losses totaled $5 million.", reference: "2019-11-02")
        #expect(plain.last?.value == "2018", "\(plain)")
        let noQuarter = tagged("Profit is likely to be 4.7 billion francs, up from 633.8 million francs last year.", reference: "2019-11-02")
        #expect(noQuarter.last?.value == "2018", "\(noQuarter)")
    }

    @Test func theQuarterAYearAgoIsOneExpression() {
        let found = tagged("Columbia lost money in the third quarter. For the quarter a year ago, it earned $16 million.",
                           reference: "2019-10-26")
        #expect(found.last == Found(text: "the quarter a year ago", type: "DATE", value: "2018-Q3"), "\(found)")
    }

    @Test func aPeriodEndedOnADayEndedBeforeTheDateOfWriting() {
        // Jan. 31, 2020 is nearer to 31 October 2019, but a fiscal year that "ended" on it is over.
        #expect(value("In the fiscal year ended Jan. 31, the company reported sales of $59.5 million.", "Jan. 31",
                      reference: "2019-10-31")?.value == "2019-01-31")
        #expect(value("Shares have risen 20% since Dec. 3.", "Dec. 3", reference: "2019-10-31")?.value == "2018-12-03")
    }

    // MARK: Tense

    @Test func couldDoesNotLookAhead() {
        // "could" is the past (or the conditional) of "can", not a future like "will".
        #expect(only("The boy's father could not be reached Wednesday.", reference: "2000-01-06")
            == Found(text: "Wednesday", type: "DATE", value: "2000-01-05"))
        #expect(only("The boy's father will be reached Wednesday.", reference: "2000-01-06")
            == Found(text: "Wednesday", type: "DATE", value: "2000-01-12"))
    }

    @Test func plannedToIsAPastTense() {
        // Written on a Wednesday: a plan still ahead would read "plans to pay".
        #expect(only("On Friday, the Kenyan government planned to pay the first claims.", reference: "1998-09-30")
            == Found(text: "Friday", type: "DATE", value: "1998-09-25"))
        // A participle after "be", and "planned for", still look ahead.
        #expect(only("The payment is planned to start Friday.", reference: "1998-09-30")
            == Found(text: "Friday", type: "DATE", value: "1998-10-02"))
        #expect(only("A rally is planned for Friday.", reference: "1998-09-30")
            == Found(text: "Friday", type: "DATE", value: "1998-10-02"))
    }

    @Test func tomorrowsWeekdayIsTomorrow() {
        // A day six days back is "last Tuesday"; the bare weekday after the date of writing is the next day,
        // even in a past-tense report written for the next morning (15 of 19 such TE3 weekdays).
        #expect(only("Albright headed Tuesday to East Africa.", reference: "1998-08-17")
            == Found(text: "Tuesday", type: "DATE", value: "1998-08-18"))
        #expect(only("Protesters planned a rally on Saturday.", reference: "2000-01-07")
            == Found(text: "Saturday", type: "DATE", value: "2000-01-08"))
        // Other weekdays still look back in a past-tense sentence, and a possessive is a day gone by.
        #expect(only("Albright headed Friday to East Africa.", reference: "1998-08-17")
            == Found(text: "Friday", type: "DATE", value: "1998-08-14"))
        #expect(value("He criticized Tuesday's ruling.", "Tuesday", reference: "1998-08-17")?.value == "1998-08-11")
    }

    @Test func aMonthSomethingHappenedInTakesTheTenseOfTheVerb() {
        // Not the nearest February (four months ahead) but the last one: the purchase is over.
        #expect(only("Since KKR bought RJR in February, it has sold assets.", reference: "1989-10-30")
            == Found(text: "February", type: "DATE", value: "1989-02"))
        #expect(only("In January, American Medical brought in a new chief executive.", reference: "1989-10-27")
            == Found(text: "January", type: "DATE", value: "1989-01"))
        #expect(only("Collins will command a shuttle mission in December.", reference: "1998-03-04")
            == Found(text: "December", type: "DATE", value: "1998-12"))
        // The month of an infinitive's event, and a deadline, still look ahead from a past-tense verb;
        // a present passive ("is heard") is not a past tense.
        #expect(only("Thermo Electron agreed to purchase the line for $22 million in February.", reference: "1989-10-30")
            == Found(text: "February", type: "DATE", value: "1990-02"))
        #expect(only("The company agreed to repay the loan by February.", reference: "1989-10-30")
            == Found(text: "February", type: "DATE", value: "1990-02"))
        #expect(only("He refused to sign before the case is heard in May.", reference: "2000-03-29")
            == Found(text: "May", type: "DATE", value: "2000-05"))
    }

    @Test func anAbbreviationPointDoesNotEndTheSentence() {
        // The tense is found past "Ala.," and "Mr.": the January before, not the one ahead.
        #expect(only("In January, a bombing in Birmingham, Ala., killed a guard.", reference: "1998-10-25")
            == Found(text: "January", type: "DATE", value: "1998-01"))
        #expect(only("In January, Mr. Smith sold the house.", reference: "1998-10-25")
            == Found(text: "January", type: "DATE", value: "1998-01"))
        // A full stop still ends it.
        #expect(tagged("The vote is in January. Mr. Smith sold the house.", reference: "1998-10-25").first
            == Found(text: "January", type: "DATE", value: "1999-01"))
    }

    @Test func aDecimalPointDoesNotEndTheSentence() {
        // The past tense is found past "$42.875": the March before, not the one ahead.
        #expect(tagged("The stock fluctuated, rising to $42.875 a share in June from $29.75 in March.", reference: "1989-10-30").last
            == Found(text: "March", type: "DATE", value: "1989-03"))
        // A full stop before a number still ends the sentence.
        #expect(tagged("The stock fell 5. Shares rise in March.", reference: "1989-10-30").last
            == Found(text: "March", type: "DATE", value: "1990-03"))
    }

    @Test func nextToIsAPlaceNotTheFuture() {
        // "next to the embassy" says nothing about the tense: the past tense of "ripped" decides.
        #expect(only("A bomb ripped through a building next to the embassy Friday.", reference: "1998-08-08")
            == Found(text: "Friday", type: "DATE", value: "1998-08-07"))
        // "next" before a time still looks ahead.
        #expect(only("The envoy flew to Nairobi and will next visit Dar es Salaam on Friday.", reference: "1998-08-08")
            == Found(text: "Friday", type: "DATE", value: "1998-08-14"))
    }

    // MARK: Sets

    @Test func aWeekdayWithAPluralPartOfDayIsASet() {
        #expect(only("Flights leave Bombay on Tuesday nights.", reference: "2019-10-30")
            == Found(text: "Tuesday nights", type: "SET", value: "XXXX-WXX-2TNI"))
        #expect(only("The market opens Sunday mornings.", reference: "2019-10-30")
            == Found(text: "Sunday mornings", type: "SET", value: "XXXX-WXX-7TMO"))
    }

    // MARK: TimeML signals

    /// TimeML's news convention makes "three days later" a duration, with
    /// "later" a signal outside it; lede keeps it a date in news too, since
    /// an explainer's timeline needs the event it dates (2 TE3 value errors).
    @Test func laterKeepsTheDate() {
        #expect(value("The vote was held on May 3, 2019. Three days later, the premier resigned.", "Three days later",
                      reference: "2019-10-30")?.value == "2019-05-06")
        #expect(value("The siege began on 3 May 1808. Three days later the walls fell.", "Three days later",
                      reference: "2019-10-30", genre: .narrative)?.value == "1808-05-06")
    }
}
