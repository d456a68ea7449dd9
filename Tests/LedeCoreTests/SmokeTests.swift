import Testing
@testable import LedeCore

@Test func slugs() {
    #expect(Slug.make("The Helsinki Summit: A Defining Moment") == "the-helsinki-summit-a-defining-moment")
}
