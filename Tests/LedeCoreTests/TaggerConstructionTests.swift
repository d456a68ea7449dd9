import Testing
@testable import LedeCore

/// One test per construction of issue 3: the text found, its type and its value.
/// The reference date is Friday 15 March 2019 unless a test says otherwise.
@Suite("Tagger constructions")
struct TaggerConstructionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var sentence: String
        var text: String
        var type: String
        var value: String
        var testDescription: String { text }
    }

    static func c(_ sentence: String, _ text: String, _ type: String, _ value: String) -> Case {
        Case(sentence: sentence, text: text, type: type, value: value)
    }

    static let fullDatesCases: [Case] = [
        c("The treaty was signed on July 4, 1776, in Philadelphia.", "July 4, 1776", "DATE", "1776-07-04"),
        c("The treaty was signed on 4 July 1776 in Philadelphia.", "4 July 1776", "DATE", "1776-07-04"),
        c("The report is dated 2018-07-16 in the archive.", "2018-07-16", "DATE", "2018-07-16"),
        c("She left on Tuesday, Sept. 4, 2018, for Oslo.", "Tuesday, Sept. 4, 2018", "DATE", "2018-09-04"),
        c("She left Sept 4 2018 for Oslo.", "Sept 4 2018", "DATE", "2018-09-04"),
        c("Payment is due on 7/16/2018 at the latest.", "7/16/2018", "DATE", "2018-07-16"),
        c("The record was set on 16.07.2018 in Bern.", "16.07.2018", "DATE", "2018-07-16"),
        c("The law was revised on 2018/07/16 in Seoul.", "2018/07/16", "DATE", "2018-07-16"),
        c("The 4th of July, 1776 was a Thursday.", "The 4th of July, 1776", "DATE", "1776-07-04"),
        c("He was born on the twenty-first of March 1990.", "the twenty-first of March 1990", "DATE", "1990-03-21"),
        c("They married on Saturday 12 October 1957.", "Saturday 12 October 1957", "DATE", "1957-10-12"),
    ]

    static let partialDatesCases: [Case] = [
        c("Talks began in July 2018 in Helsinki.", "July 2018", "DATE", "2018-07"),
        // Periods as reports write them, and approximate years as histories do.
        c("Sales fell in Q3 2018 after the merger.", "Q3 2018", "DATE", "2018-Q3"),
        c("Sales fell in 3Q 2018 after the merger.", "3Q 2018", "DATE", "2018-Q3"),
        c("Margins improved in H1 2018 across the group.", "H1 2018", "DATE", "2018-H1"),
        c("Revenue rose 12% in FY2017, the filing shows.", "FY2017", "DATE", "2017"),
        c("Revenue rose 12% in FY17, the filing shows.", "FY17", "DATE", "2017"),
        c("Orders slowed in Q4 FY2018 in Asia.", "Q4 FY2018", "DATE", "2018-Q4"),
        c("Gutenberg printed his Bible c. 1450 in Mainz.", "c. 1450", "DATE", "1450"),
        c("The abbey was built circa 1200 by monks.", "circa 1200", "DATE", "1200"),
        c("A trade pact followed in February of 1940.", "February of 1940", "DATE", "1940-02"),
        c("Relations soured in 2016, after the vote.", "2016", "DATE", "2016"),
        c("The 2016 election changed everything.", "2016", "DATE", "2016"),
        c("The 1990s were calm.", "The 1990s", "DATE", "199"),
        c("Music from the '80s is back.", "the '80s", "DATE", "198"),
        c("Cities grew fast in the nineteenth century.", "the nineteenth century", "DATE", "18"),
        c("The 5th century BC saw new temples.", "The 5th century BC", "DATE", "BC04"),
        c("Caesar died in 44 BC in Rome.", "44 BC", "DATE", "BC0044"),
        c("The battle was fought in AD 9 in a forest.", "AD 9", "DATE", "0009"),
        c("The offensive came in the summer of 1942.", "the summer of 1942", "DATE", "1942-SU"),
        c("Profits fell in the third quarter of 1984.", "the third quarter of 1984", "DATE", "1984-Q3"),
        c("Sales rose in the first half of 1990.", "the first half of 1990", "DATE", "1990-H1"),
        c("Output jumped in late 1915 and stalled.", "late 1915", "DATE", "1915"),
        c("Fighting stopped by the end of 1917.", "the end of 1917", "DATE", "1917"),
        c("Prices peaked in mid-1996.", "mid-1996", "DATE", "1996"),
        c("The city grew in the 18th and 19th centuries.", "19th centuries", "DATE", "18"),
        c("Athens fell in the 470s BC, they say.", "the 470s BC", "DATE", "BC047"),
        c("Snow fell in the first week of March 1998.", "the first week of March 1998", "DATE", "1998-W09"),
        c("Music of the nineties is back.", "the nineties", "DATE", "199"),
        c("The board will meet in fiscal 1990 again.", "fiscal 1990", "DATE", "1990"),
        c("He spoke in nineteen ninety-four.", "nineteen ninety-four", "DATE", "1994"),
    ]

    static let newsRelativeCases: [Case] = [
        c("Stocks fell yesterday.", "yesterday", "DATE", "2019-03-14"),
        c("Stocks fell last week.", "last week", "DATE", "2019-W10"),
        c("It rained two days ago.", "two days ago", "DATE", "2019-03-13"),
        c("The vote will take place next month.", "next month", "DATE", "2019-04"),
        c("This year is busy.", "This year", "DATE", "2019"),
        c("The company said Monday that profits fell.", "Monday", "DATE", "2019-03-11"),
        c("The council will vote Tuesday on the plan.", "Tuesday", "DATE", "2019-03-19"),
        c("Prices have fallen recently.", "recently", "DATE", "PAST_REF"),
        c("The market is now open.", "now", "DATE", "PRESENT_REF"),
        c("The plant is currently closed.", "currently", "DATE", "PRESENT_REF"),
        c("Profit rose in the third quarter.", "the third quarter", "DATE", "2018-Q3"),
        c("The figures came out last fall.", "last fall", "DATE", "2018-FA"),
        c("They met in January and talked.", "January", "DATE", "2019-01"),
        // A year that frames its sentence dates the month or day after it; one in a clause about
        // something else does not.
        c("In the 2005 series, England won at Edgbaston on 7 August.", "7 August", "DATE", "2005-08-07"),
        c("The 1981 series turned at Headingley in late July.", "late July", "DATE", "1981-07"),
        c("In 2005, the team won on 7 August.", "7 August", "DATE", "2005-08-07"),
        c("Poland, invited to join NATO in July 1997, will join on March 12.", "March 12", "DATE", "2019-03-12"),
        // The end, turn or middle of the century (decade) in view.
        c("Warming must stop by the end of the century.", "the end of the century", "DATE", "20"),
        c("Prices will double by mid-century, the study says.", "mid-century", "DATE", "20"),
        c("Rents rose by the middle of the decade.", "the middle of the decade", "DATE", "201"),
        // A weekday that does not fit the year of writing takes the year the text last named, if that one fits.
        c("In 2016, the result came on Wednesday 9 November.", "Wednesday 9 November", "DATE", "2016-11-09"),
        c("In 2016 the deal, signed on Friday 15 March, held.", "Friday 15 March", "DATE", "2019-03-15"),
        // A day a verb in the past tense says something happened on is over, though the nearest is ahead.
        c("A second lockdown began on 5 June and ended in July.", "5 June", "DATE", "2018-06-05"),
        c("Federal help arrived only on June 2, days after the storm.", "June 2", "DATE", "2018-06-02"),
        c("The vote is due on 5 June.", "5 June", "DATE", "2019-06-05"),
        // News that tells a story from a past year goes on in it, in the past tense, while the story's date is close.
        c("Katrina made landfall on Monday, August 29, 2005. The storm had formed over the Bahamas on August 23.",
          "August 23", "DATE", "2005-08-23"),
        c("The storm formed on Tuesday, August 23, 2005. The mayor ordered an evacuation on the Sunday.",
          "Sunday", "DATE", "2005-08-28"),
        c("Katrina made landfall on August 29, 2005. The levees broke. Thousands were stranded. Help arrived on September 2.",
          "September 2", "DATE", "2005-09-02"),
        c("Katrina made landfall on August 29, 2005. A new storm will form on August 23.", "August 23", "DATE", "2019-08-23"),
        c("Katrina made landfall on August 29, 2005. The levees broke. Crowds fled. Shops shut. Schools closed. The storm had formed on August 23.", "August 23", "DATE", "2018-08-23"),
        c("Artemis I flew in November 2016. Its launch, at 1:47 a.m. EST on 16 November, came after a delay.",
          "1:47 a.m. EST", "TIME", "2016-11-16T01:47"),
        // Set after a date by a comma, a count of units earlier restates that date, to the unit it counts in.
        c("The court ruled on June 24, 2016, against a ruling of January 22, 1973. A draft had leaked on May 2, almost two months earlier.",
          "almost two months earlier", "DATE", "2016-05"),
        // The end of a period need not be in the story: a date after "to", "until", "by" is not dated by it.
        c("Article 50 was triggered on 29 March 2017, and the deadline was extended to 12 April.", "12 April", "DATE", "2019-04-12"),
        // A story goes forward: a month more than a season before the story's date is the one after it.
        c("Hamas attacked on 7 October 2017. Iran launched drones on 13–14 April.", "14 April", "DATE", "2018-04-14"),
        c("The probe flew on 16 November 2016. Its launch came after attempts in late August.", "late August", "DATE", "2016-08"),
        // A timeline's labels in the present tense are the story's too, and "the next day" is no sign of the future.
        c("March 16, 2008: JPMorgan agrees to buy Bear Stearns. September 15: Lehman files; the next day the Fed rescues AIG.",
          "September 15", "DATE", "2008-09-15"),
        c("March 16, 2008: JPMorgan agrees to buy Bear Stearns. September 15: Lehman files; the next day the Fed rescues AIG.",
          "the next day", "DATE", "2008-09-16"),
        // "the following summer" follows the date in view, in news too; "ten years ago today" is a day.
        c("Prices peaked in mid-2016. By the following summer, defaults were rising.", "the following summer", "DATE", "2017-SU"),
        c("Fifteen years ago today, Lehman Brothers failed.", "Fifteen years ago today", "DATE", "2004-03-15"),
        // The first stated date of its sentence is the story's; a later one is an aside in it.
        c("Russia invaded on 24 February 2014, eight years after it seized Crimea in March 2006. By late March it had been pushed back.",
          "late March", "DATE", "2014-03"),
        // A date that names a thing, or one in the past perfect, is an aside, not the story's date.
        c("They were charged in the Dec. 21, 1988, bombing. Libya agreed in April to hand them over.", "April", "DATE", "2018-04"),
        c("He had fled to Florida in June 1998. The boy made the late-November trip.", "late-November", "DATE", "2018-11"),
        c("Over 2018 as a whole the economy grew by 0.5 per cent.", "2018", "DATE", "2018"),
        c("Over 2018, prices rose.", "2018", "DATE", "2018"),
        // ... not a state of affairs that goes on now
        c("Prices peaked in October 2016. The bank has held its rate at 4 per cent since September.", "September", "DATE", "2018-09"),
        // A day named by its place in the month; in each month, a set.
        c("Its next term begins on the first Monday in October.", "the first Monday in October", "DATE", "2019-10-07"),
        c("The vote was held on the last Friday of June 2018.", "the last Friday of June 2018", "DATE", "2018-06-29"),
        c("Updates come on the second Tuesday of each month.", "the second Tuesday of each month", "SET", "P1M"),
        // A deadline with nothing said of the past lies ahead; with a past tense, behind.
        c("A transition period then runs until 31 December.", "31 December", "DATE", "2019-12-31"),
        c("Markets now expect a first rate reduction by February.", "February", "DATE", "2020-02"),
        c("Traders expect a deal by March.", "March", "DATE", "2019-03"),
        c("Prices had fallen by February.", "February", "DATE", "2019-02"),
        c("The plan takes effect Dec. 7 after a vote.", "Dec. 7", "DATE", "2018-12-07"),
        c("Earnings rose a year ago.", "a year ago", "DATE", "2018"),
        c("Earnings peaked a year and a half ago.", "a year and a half ago", "DATE", "2017-09"),
        // "the next month" in a sentence that looks ahead counts from the date of writing, not from a
        // date mentioned before; "the following month" follows the date mentioned.
        c("Prices rose over the past year. They will stay high for the next month.", "the next month", "DATE", "2019-04"),
        c("The law passed in June 2018. It took effect the next month.", "the next month", "DATE", "2018-07"),
        c("The bill passes in May 2020 and will take effect the following month.", "the following month", "DATE", "2020-06"),
        c("He called Tuesday morning.", "Tuesday morning", "TIME", "2019-03-12TMO"),
        c("Shares closed at 3:30 p.m. yesterday.", "3:30 p.m. yesterday", "TIME", "2019-03-14T15:30"),
        c("The polls closed at 10 p.m. Wednesday.", "10 p.m. Wednesday", "TIME", "2019-03-13T22:00"),
        c("Police arrived last night.", "last night", "TIME", "2019-03-14TNI"),
        c("Crowds gathered this morning.", "this morning", "TIME", "2019-03-15TMO"),
        c("Trading halted over the weekend.", "the weekend", "DATE", "2019-W10-WE"),
        c("Shoppers returned on Thanksgiving Day.", "Thanksgiving Day", "DATE", "2018-11-22"),
        c("Talks will resume later today.", "later today", "DATE", "2019-03-15"),
        c("Those ideas still shape politics today.", "today", "DATE", "PRESENT_REF"),
        c("Profit fell from the year-ago quarter.", "the year-ago quarter", "DATE", "2017-Q4"),
        c("The meeting ran until 2 o'clock in the afternoon.", "2 o'clock in the afternoon", "TIME", "2019-03-15T14:00"),
        c("A quarter of a century later, the wall fell.", "A quarter of a century later", "DATE", "2044"),
        // The day after a time, with the day first or a place's clock between them.
        c("At noon GMT on 12 May 2001 the talks ended.", "noon GMT", "TIME", "2001-05-12T12:00"),
        c("At noon GMT on 12 May 2001 the talks ended.", "12 May 2001", "DATE", "2001-05-12"),
        c("At 5:34 a.m. Baghdad time on March 20, 2003 the invasion began.", "5:34 a.m.", "TIME", "2003-03-20T05:34"),
        c("At 5:34 a.m. Baghdad time on March 20, 2003 the invasion began.", "March 20, 2003", "DATE", "2003-03-20"),
        c("The shop opens at 9 a.m. Eastern time, officials said.", "9 a.m.", "TIME", "2019-03-15T09:00"),
    ]

    static let narrativeRelativeCases: [Case] = [
        c("The army landed on 6 June 1944. Two weeks later it took the port.", "Two weeks later", "DATE", "1944-06-20"),
        c("The war began in 1914. By the end of the century, the empire was gone.", "the end of the century", "DATE", "19"),
        // A part of a unit is counted in the next smaller one, not rounded up to a whole unit.
        c("The peace of 201 BC ended the war. Half a century later, Rome returned.", "Half a century later", "DATE", "BC0151"),
        c("The army landed on 6 June 1944. Half a year later it reached the Rhine.", "Half a year later", "DATE", "1944-12"),
        c("The war began in 1861 and ended three years afterwards.", "three years afterwards", "DATE", "1864"),
        c("The treaty was signed in 1648. Two years thereafter the fleet sailed.", "Two years thereafter", "DATE", "1650"),
        c("She was treated in July 2016. Four years on she had no crises.", "Four years on", "DATE", "2020"),
        c("The vote was in 2016. Ten years on, little had changed.", "Ten years on", "DATE", "2026"),
        c("The vote was in 2016. Two years on the job taught him a lot.", "Two years", "DURATION", "P2Y"),
        c("The army landed in 1944. The following year the war ended.", "The following year", "DATE", "1945"),
        c("The army landed on 6 June 1944. The next day it moved inland.", "The next day", "DATE", "1944-06-07"),
        c("The army landed in June 1944. That month it took the port.", "That month", "DATE", "1944-06"),
        c("Peace came in 1648. By the end of the year trade revived.", "the end of the year", "DATE", "1648"),
        c("Peace came in 1648. In May the fleet sailed.", "May", "DATE", "1648-05"),
        c("Peace came in May 1648. Four months earlier talks had stalled.", "Four months earlier", "DATE", "1648-01"),
        // Set after a date by a comma, a count of units later restates that date from the one before.
        c("He was born in 1867 and died in 1934, 67 years later.", "67 years later", "DATE", "1934"),
        c("XP, released in 2001, lost support in April 2014, 12 and a half years later.", "12 and a half years later", "DATE", "2014-04"),
    ]

    static let durationsCases: [Case] = [
        c("The war lasted three years.", "three years", "DURATION", "P3Y"),
        c("It took a decade to finish.", "a decade", "DURATION", "P10Y"),
        c("Several months passed.", "Several months", "DURATION", "PXM"),
        c("A two-year study began.", "two-year", "DURATION", "P2Y"),
        c("The siege went on for more than 40 days.", "more than 40 days", "DURATION", "P40D"),
        c("Sales grew in the past two months.", "the past two months", "DURATION", "P2M"),
        c("The trip takes 5 1/2 hours.", "5 1/2 hours", "DURATION", "PT5H30M"),
        c("He waited half an hour.", "half an hour", "DURATION", "PT30M"),
        // Vague lengths of time without "for": "over the years" (TimeML: the determiner belongs to it),
        // and "in years" when it ends the phrase ("the first time in years").
        c("Many more patients have died over the years.", "the years", "DURATION", "PXY"),
        c("Sales grew for the first time in years.", "years", "DURATION", "PXY"),
        c("Prices hit their lowest level in months, traders said.", "months", "DURATION", "PXM"),
    ]

    static let setsCases: [Case] = [
        c("We go there every year.", "every year", "SET", "P1Y"),
        c("The paper comes out daily.", "daily", "SET", "P1D"),
        c("The club meets each Monday.", "each Monday", "SET", "XXXX-WXX-1"),
        c("Ferries run every two weeks.", "every two weeks", "SET", "P2W"),
        c("They train twice a week.", "twice a week", "SET", "P1W"),
        c("The shop is shut on Sundays.", "Sundays", "SET", "XXXX-WXX-7"),
        c("Storms come every summer.", "every summer", "SET", "XXXX-SU"),
    ]

    static let unknownPartsCases: [Case] = [
        c("The festival is held in July.", "July", "DATE", "XXXX-07"),
    ]

    /// Normalization rules from the TimeML guidelines and HeidelTime (news unless the name says narrative).
    static let valueRulesCases: [Case] = [
        c("For two bloody weeks, fighting raged in the town.", "two bloody weeks", "DURATION", "P2W"),
        c("Deaths fell from 1,440 in the four previous weeks.", "the four previous weeks", "DURATION", "P4W"),
        c("Violence rose over the following days.", "the following days", "DURATION", "PXD"),
        c("Output fell to 53% of 2013 levels.", "2013", "DATE", "2013"),
        c("The rules should be in place by month's end.", "month's end", "DATE", "2019-03"),
        c("He left the day before yesterday.", "the day before yesterday", "DATE", "2019-03-13"),
        c("He returns the day after tomorrow.", "the day after tomorrow", "DATE", "2019-03-17"),
        // a clock time takes the day of "this morning" or "last night" after it
        c("On Monday he left; the plane landed at 6:15 this morning.", "6:15 this morning", "TIME", "2019-03-15T06:15"),
        c("The vote ended at 10 p.m. last night.", "10 p.m. last night", "TIME", "2019-03-14T22:00"),
        // a count with "and a half" before its unit
        c("The flight takes two and a half hours.", "two and a half hours", "DURATION", "PT2H30M"),
        c("The war lasted three and a half years.", "three and a half years", "DURATION", "P3Y6M"),
        // a quarter with its year before it, after "fiscal" or a possessive as after "the"
        c("The company earned $3 million in its fiscal 2017 first quarter.", "fiscal 2017 first quarter", "DATE", "2017-Q1"),
        c("Its 2016 fourth quarter was weak.", "2016 fourth quarter", "DATE", "2016-Q4"),
        // "since" names a time that has begun, whatever the tense
        c("The stock has doubled since June.", "June", "DATE", "2018-06"),
        // what "is due" on a weekday lies ahead
        c("Elections are due on Sunday, officials said.", "Sunday", "DATE", "2019-03-17"),
        c("The report is due Tuesday.", "Tuesday", "DATE", "2019-03-19"),
        c("Trading has been halted since Saturday.", "Saturday", "DATE", "2019-03-09"),
        c("Sales fell to $3 million last year, down from $4 million the year before.", "the year before", "DATE", "2017"),
        // "one day" before a verb is some day ahead; "for one day" stays a duration.
        c("Engineers say the line will one day be extended to the coast.", "one day", "DATE", "FUTURE_REF"),
        c("The strike lasted for one day only.", "one day", "DURATION", "P1D"),
        // "since year-end": the last year-end, which is over.
        c("The index has risen 12% since year-end.", "year-end", "DATE", "2018-12-31"),
        // "or so" inside a count keeps the count and its "ago" one expression.
        c("The council approved the budget a month or so ago.", "a month or so ago", "DATE", "2019-02"),
        // "the week of" a day is the ISO week that holds it.
        c("Hearings are planned for the week of June 3.", "the week of June 3", "DATE", "2019-W23"),
        // So is a holiday's week ("Easter week" ends on Easter Sunday, Monday to Sunday).
        c("Pilgrims will crowd the city in Easter week.", "Easter week", "DATE", "2019-W16"),
        c("Shops hired extra staff for Christmas week.", "Christmas week", "DATE", "2018-W52"),
        // A year said in words after a month or a season (broadcast transcripts) belongs to it.
        c("Crude last traded this low in March nineteen ninety-nine, a broker said.", "March nineteen ninety-nine", "DATE", "1999-03"),
        c("Prices peaked in the summer of nineteen eighty-two.", "the summer of nineteen eighty-two", "DATE", "1982-SU"),
        c("The chairman blamed current market conditions.", "current", "DATE", "PRESENT_REF"),
        c("Troops moved at 0800 hours.", "0800 hours", "TIME", "2019-03-15T08:00"),
        c("The shot came at 1430 GMT.", "1430 GMT", "TIME", "2019-03-15T14:30"),
        c("Lawyers will try to overturn Wednesday's ruling.", "Wednesday", "DATE", "2019-03-13"),
        c("The offer had been due to expire Monday.", "Monday", "DATE", "2019-03-11"),
        c("The offer is due to expire Monday.", "Monday", "DATE", "2019-03-18"),
        c("She will travel to Paris, she told reporters Monday.", "Monday", "DATE", "2019-03-11"),
        c("Sales for this year's third quarter rose.", "this year's third quarter", "DATE", "2019-Q3"),
        c("The deal may close in next year's first quarter.", "next year's first quarter", "DATE", "2020-Q1"),
        c("Profit fell in the fourth quarter. Sales in last year's quarter were higher.", "last year's quarter", "DATE", "2017-Q4"),
        c("Profit fell in the fourth quarter. It earned $1 million in the 2017 quarter.", "the 2017 quarter", "DATE", "2017-Q4"),
        c("Rivals will cut prices over the summer.", "the summer", "DATE", "2019-SU"),
        c("The dividend will be paid in August.", "August", "DATE", "2019-08"),
        // "last February" said in March is not the month just over ("last month"), but "this past February" is.
        c("Two helicopters crashed last February.", "last February", "DATE", "2018-02"),
        c("Two helicopters crashed this past February.", "this past February", "DATE", "2019-02"),
        c("Two helicopters crashed last January.", "last January", "DATE", "2019-01"),
        c("The revised plan takes effect in August.", "August", "DATE", "2019-08"),
        c("The unexpected bonus arrives in August.", "August", "DATE", "2019-08"),
        c("It rained for a few days.", "a few days", "DURATION", "PXD"),
        c("In the quarter ended July 31, 2018, sales rose.", "the quarter", "DATE", "2018-Q2"),
        c("For the quarter ended Sept. 30, 2018, it lost money.", "the quarter", "DATE", "2018-Q3"),
        c("It took a couple of years.", "a couple of years", "DURATION", "P2Y"),
        c("The talks are set for April 24 and 25.", "25", "DATE", "2019-04-25"),
        c("They fought in August and September 1914.", "August", "DATE", "1914-08"),
        c("The firm blamed the third-quarter loss on prices.", "third-quarter", "DATE", "2018-Q3"),
        c("The site went up in October 2018 and was shut that same day.", "that same day", "DATE", "2018-10-XX"),
        // A half of a decade or century has no TIMEX3 value: the decade or century itself.
        c("Home prices stalled in the second half of the '70s.", "the second half of the '70s", "DATE", "197"),
        c("Canals spread in the first half of the 18th century.", "the first half of the 18th century", "DATE", "17"),
        // "the latter half", "the first two quarters" of a year are its halves.
        c("Exports slumped in the latter half of 2016.", "the latter half of 2016", "DATE", "2016-H2"),
        c("Growth should pick up in the first two quarters of 2020.", "the first two quarters of 2020", "DATE", "2020-H1"),
        // News: "the past year" is last year, as "past" is "last"; a count or a decade is still a span.
        c("Ticket sales doubled over the past year, the league said.", "the past year", "DATE", "2018"),
        c("Rents have climbed in the past month.", "the past month", "DATE", "2019-02"),
        c("Rents have climbed in the past decade.", "the past decade", "DURATION", "P10Y"),
        c("Rents have climbed in the past two years.", "the past two years", "DURATION", "P2Y"),
        // "the day before/after" a day named is one expression, a day off it (TimeBank marks it so).
        c("The day before last Tuesday's hearing, the lawyers met.", "The day before last Tuesday", "DATE", "2019-03-11"),
        c("Shops reopened the day after Christmas.", "the day after Christmas", "DATE", "2018-12-26"),
        // A year with "post-" or "pre-" before it is that year (TimeBank: "post-1959" is 1959).
        c("The post-1959 politics split many families.", "post-1959", "DATE", "1959"),
        c("Output is still below pre-1990 levels.", "pre-1990", "DATE", "1990"),
        // "a later date" is a time to come that the text does not name.
        c("The rest will be raised at a later date.", "a later date", "DATE", "FUTURE_REF"),
        c("The vote was moved to the day after March 3.", "the day after March 3", "DATE", "2019-03-04"),
    ]

    static let narrativeValueRulesCases: [Case] = [
        c("In 1917 the troops, cheered by recent victories, marched north.", "recent", "DATE", "PAST_REF"),
        c("In 1917 the current government fell.", "current", "DATE", "PRESENT_REF"),
        // "weeks earlier" is some time before, as "weeks later" is some time after.
        c("The offensive stalled in 1965. Weeks earlier, the marines had landed.", "Weeks earlier", "DATE", "PAST_REF"),
        c("The offensive began in October 1915; four days later the allies joined.", "four days later", "DATE", "1915-XX-XX"),
        c("In March 1944 the army attacked, and troops that had landed in late 1943 held on. By June the city fell.", "June", "DATE", "1944-06"),
        c("In 1917 the front barely moved; over the past year both armies had bled.", "the past year", "DURATION", "P1Y"),
        // A season joined by "and" to one with a year shares it, as "August and September 1914" do.
        c("The front held through 1944. Both armies had spent the spring and early summer of 1943 preparing.",
          "the spring", "DATE", "1943-SP"),
        // "fall" after "to" or "and" is the season when a date stands before them.
        c("In 1943 the troops drilled from spring to fall.", "fall", "DATE", "1943-FA"),
        c("In 1943 the troops drilled through summer and fall.", "fall", "DATE", "1943-FA"),
        // "the day before", "the year before" with no event after them: a unit off the date in view
        c("On 23 February 1918 the army left. The day before, it had rained.", "The day before", "DATE", "1918-02-22"),
        c("Exports reached 300 tons in March 1918, against 200 tons the month before.", "the month before", "DATE", "1918-02"),
        // A story in December that goes on "in January" is in the next year, also when it named the year again
        c("War was declared on December 8, 1941, the worst day of 1941. In January, the allies met in Washington.",
          "January", "DATE", "1942-01"),
        // "the previous year" looks back from the story, which goes on in its own year
        c("The army landed in March 1943 and kept the gains it had made during the previous year. In May, it marched north.",
          "May", "DATE", "1943-05"),
        // someone in the story looks ahead to "next summer"; the story stays where it was
        c("In March 1943 the general said the army would be home by next summer. In May, it marched north.",
          "May", "DATE", "1943-05"),
        // a history's "tonight" is in a quotation, a night the text does not date
        c("In November 1969 the president said: \"I am tonight announcing a withdrawal.\"", "tonight", "TIME", "XXXX-XX-XXTNI"),
        // A winter is named by the year of its January: after the autumn of a year, the next one's.
        c("In November 1862 the army reached the river and camped there over the winter.", "the winter", "DATE", "1863-WI"),
        c("In the autumn of 431 BC the fleet sailed home for the winter.", "the winter", "DATE", "BC0430-WI"),
        c("In January 1863 the army camped by the river through the winter.", "the winter", "DATE", "1863-WI"),
        // from August on, the nearest winter is the one ahead
        c("The monarchy fell on 10 August 1792. The king was tried that winter.", "that winter", "DATE", "1793-WI"),
        // A year that opens its sentence is the story's time, not an aside about a distant year:
        // the months after it are in that year, not in the last year that had a month.
        c("On 12 October 1962 the planes flew, a report declassified in 2005 says. On 14 October they saw missiles.",
          "14 October", "DATE", "1962-10-14"),
        c("She was born on 7 November 1867. In 1898 the couple announced polonium in July.", "July", "DATE", "1898-07"),
        c("She was born on 7 November 1867. Thirty years later he died on an April afternoon.", "April", "DATE", "1897-04"),
        c("She was born on 7 November 1867. In 1903 she won. Three years later he died. She took his post that May.",
          "that May", "DATE", "1906-05"),
        // A winter across two years is one, named by the year of its January.
        c("The north rose in the winter of 1069–70.", "the winter of 1069–70", "DATE", "1070-WI"),
        c("The winter of 1941-42 was cold.", "The winter of 1941-42", "DATE", "1942-WI"),
        c("By the late 11th century the kings ruled.", "the late 11th century", "DATE", "10"),
        // the story's calendar stays in the autumn
        c("In October 1862 the general feared the army could not last the winter. On 12 November he resigned.",
          "12 November", "DATE", "1862-11-12"),
    ]

    @Test(arguments: valueRulesCases) func valueRule(_ t: Case) { check(t) }
    @Test(arguments: narrativeValueRulesCases) func narrativeValueRule(_ t: Case) { check(t, genre: .narrative) }

    @Test func twoDaysJoinedByAndAreBothMarked() {
        #expect(tagged("The talks are set for April 24 and 25.").map(\.text) == ["April 24", "25"])
        #expect(tagged("On April 24 and 25 people were hurt.").map(\.text) == ["April 24"])
    }

    @Test func recentAndCurrentAreNotAlwaysReferences() {
        #expect(tagged("The most recent figures came out.").isEmpty)
        #expect(tagged("He sold shares at the then current price.").isEmpty)
        #expect(tagged("The current account deficit widened.").isEmpty)
        #expect(tagged("The firm reported strong recent sales.").isEmpty)  // news: "recent" is left alone
    }

    @Test(arguments: fullDatesCases) func fullDate(_ t: Case) { check(t) }
    @Test(arguments: partialDatesCases) func partialDate(_ t: Case) { check(t) }
    @Test(arguments: newsRelativeCases) func newsRelative(_ t: Case) { check(t) }
    @Test(arguments: narrativeRelativeCases) func narrativeRelative(_ t: Case) { check(t, genre: .narrative) }
    @Test(arguments: durationsCases) func duration(_ t: Case) { check(t) }
    @Test(arguments: setsCases) func set(_ t: Case) { check(t) }
    @Test(arguments: unknownPartsCases) func unknownPart(_ t: Case) { check(t, reference: nil, genre: .narrative) }

    func check(_ t: Case, reference: String? = "2019-03-15", genre: DocumentGenre? = .news) {
        let found = tagged(t.sentence, reference: reference, genre: genre)
        let hit = found.first { $0.text == t.text }
        #expect(hit == Found(text: t.text, type: t.type, value: t.value), "in \(t.sentence.debugDescription) found \(found)")
    }

    @Test func rangesAreTwoExpressionsLinked() {
        for (sentence, first, second) in [
            ("The war ran from 1939 to 1945.", Found(text: "1939", type: "DATE", value: "1939"), Found(text: "1945", type: "DATE", value: "1945")),
            ("Between May and July 2002 it rained.", Found(text: "May", type: "DATE", value: "2002-05"), Found(text: "July 2002", type: "DATE", value: "2002-07")),
            // A first month after the second is in the year before it.
            ("Between October and January 2003 it rained.", Found(text: "October", type: "DATE", value: "2002-10"), Found(text: "January 2003", type: "DATE", value: "2003-01")),
            ("From November to February 1999 it snowed.", Found(text: "November", type: "DATE", value: "1998-11"), Found(text: "February 1999", type: "DATE", value: "1999-02")),
            ("The war of 1914–18 was long.", Found(text: "1914", type: "DATE", value: "1914"), Found(text: "18", type: "DATE", value: "1918")),
            ("We met on July 16–18, 2018 in Helsinki.", Found(text: "July 16", type: "DATE", value: "2018-07-16"), Found(text: "18, 2018", type: "DATE", value: "2018-07-18")),
            ("The battle (22-25 April 1951) was fierce.", Found(text: "22", type: "DATE", value: "1951-04-22"), Found(text: "25 April 1951", type: "DATE", value: "1951-04-25")),
            ("The revolt lasted from 499 to 493 BC.", Found(text: "499", type: "DATE", value: "BC0499"), Found(text: "493 BC", type: "DATE", value: "BC0493")),
            // A range after a name is a period, where a single number would be an identifier ("Brigade 2506").
            ("Eastern Theater 1861-1863", Found(text: "1861", type: "DATE", value: "1861"), Found(text: "1863", type: "DATE", value: "1863")),
            ("The Weimar Republic 1919–33 did not last.", Found(text: "1919", type: "DATE", value: "1919"), Found(text: "33", type: "DATE", value: "1933")),
            // An ambiguous month joined by a dash to another month is a month: a span of months.
            ("The strike (May-August 1950) closed the port.", Found(text: "May", type: "DATE", value: "1950-05"), Found(text: "August 1950", type: "DATE", value: "1950-08")),
            // Two years in a row are a range, not a year and a month in ISO form.
            ("Sales fell in the 2008-09 season.", Found(text: "2008", type: "DATE", value: "2008"), Found(text: "09", type: "DATE", value: "2009")),
        ] {
            var tagger = TemporalTagger(referenceDate: DateTime(year: 2019, month: 3, day: 15), genre: .news)
            let found = tagger.tag(sentence)
            let bytes = Array(sentence.utf8)
            let view = found.map { Found(text: String(decoding: bytes[$0.start..<$0.end], as: UTF8.self), type: $0.type.rawValue, value: $0.value) }
            #expect(view == [first, second], "\(sentence)")
            #expect(found.first?.rangeEnd == 1, "\(sentence): the first end links to the second")
        }
    }

    @Test func explicitOnlyWhenTheTextStatesTheYear() {
        var tagger = TemporalTagger(referenceDate: DateTime(year: 2019, month: 3, day: 15), genre: .news)
        let found = tagger.tag("On July 4, 1776 they met; on Monday they met again; in July they left; in 2016 they came back.")
        #expect(found.map(\.isExplicit) == [true, false, false, true])
    }

    @Test func narrativeStateCarriesAcrossCalls() {
        var tagger = TemporalTagger(referenceDate: nil, genre: .narrative)
        _ = tagger.tag("The siege began on 3 May 1808.")
        let next = tagger.tag("The next day the walls fell.")
        #expect(next.map(\.value) == ["1808-05-04"])
    }

    /// In a narrative, the end of a state of affairs named after "until" looks
    /// ahead: the story's time stays where it was. "Until" that opens the next
    /// event ("until in March 1980, Iran ...") moves it, and so does the first
    /// date of a story, whatever comes before it.
    @Test func aDateAfterUntilDoesNotMoveTheStory() {
        var war = TemporalTagger(referenceDate: DateTime(year: 2009, month: 12, day: 19), genre: .narrative)
        _ = war.tag("In September 1944 the Red Army advanced into Yugoslavia. A few days later it launched an assault that lasted until the fall of Budapest in February 1945.")
        #expect(war.tag("By the start of July, the sieges had been repelled.").map(\.value) == ["1944-07"])
        var relations = TemporalTagger(referenceDate: DateTime(year: 2009, month: 12, day: 19), genre: .narrative)
        _ = relations.tag("Relations deteriorated rapidly until in March 1980, Iran withdrew its ambassador.")
        #expect(relations.tag("The tension increased in April.").map(\.value) == ["1980-04"])
        var first = TemporalTagger(referenceDate: DateTime(year: 2009, month: 12, day: 19), genre: .narrative)
        _ = first.tag("The blockade lasted until May 1949.")
        #expect(first.tag("In June the airlift went on.").map(\.value) == ["1949-06"])
    }

    @Test func genreIsDecidedFromTheText() {
        var history = TemporalTagger(referenceDate: DateTime(year: 2009, month: 12, day: 19), genre: nil)
        _ = history.tag("In 1914 the war began. By 1915 it had spread. In 1916 came Verdun; in 1917 the Americans joined; in 1918 it ended.")
        #expect(history.genre == .narrative)
        var news = TemporalTagger(referenceDate: DateTime(year: 2009, month: 12, day: 19), genre: nil)
        _ = news.tag("The minister resigned yesterday after a vote on Friday, officials said. The inquiry opened in 2008.")
        #expect(news.genre == .news)
    }

    @Test func circaIsAboutAYear() {
        for (sentence, text) in [("Gutenberg printed his Bible c. 1450 in Mainz.", "c. 1450"), ("The city was founded ca. 300 BC.", "ca. 300 BC"),
                                 ("The abbey was built circa 1200 by monks.", "circa 1200")] {
            var tagger = TemporalTagger(referenceDate: DateTime(year: 2019, month: 3, day: 15), genre: .narrative)
            let found = tagger.tag(sentence)
            let bytes = Array(sentence.utf8)
            #expect(found.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == [text], "\(sentence)")
            #expect(found.first?.mod == "APPROX", "\(sentence)")
        }
    }

    @Test func timesCarryTheirDay() {
        #expect(only("The vote closed at 5 p.m. on March 20, 2019.") == Found(text: "5 p.m. on March 20, 2019", type: "TIME", value: "2019-03-20T17:00"))
        #expect(only("Doors open at noon.") == Found(text: "noon", type: "TIME", value: "2019-03-15T12:00"))
        // A weekday that begins a date takes the date with it: the time is on that date, not on the
        // weekday nearest the day of writing (the Wednesday before 15 March 2019 is the 13th).
        #expect(only("The walkout starts at 7am on Wednesday 3 April.") == Found(text: "7am on Wednesday 3 April", type: "TIME", value: "2019-04-03T07:00"))
        #expect(only("Polls close at 10 p.m. on Thursday, May 2, 2019.") == Found(text: "10 p.m. on Thursday, May 2, 2019", type: "TIME", value: "2019-05-02T22:00"))
    }
}
