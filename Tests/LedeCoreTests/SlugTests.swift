import Testing
@testable import LedeCore

/// Slugs name pages, anchors and timeline ids: lowercase ASCII letters and
/// digits joined by single hyphens.
@Suite struct SlugTests {
    @Test(arguments: [
        ("Zürich", "zurich"), ("Let's go", "lets-go"), ("a--b", "a-b"), ("-a-", "a"), ("-", ""), ("", ""),
        ("A-B", "a-b"), ("1989-11-09", "1989-11-09"), ("wall-p-3-1989-11-09", "wall-p-3-1989-11-09"),
        ("The “Wall” & its fall", "the-wall-its-fall"), ("Bonn’s years", "bonns-years"), ("x_y", "x-y"), ("é", "e"),
    ])
    func makes(_ text: String, _ slug: String) {
        #expect(Slug.make(text) == slug)
    }

    /// A slug is its own slug (the fast path `isSlug` takes), and nothing
    /// else is taken for one.
    @Test(arguments: ["Zürich", "Let's go", "a--b", "-a-", "a-", "-a", "A-B", "1989-11-09", "ab-cd-9", "a b", "a\u{0}b", ""])
    func aSlugIsItsOwnSlug(_ text: String) {
        let slug = Slug.make(text)
        #expect(Slug.make(slug) == slug)
        #expect(Slug.isSlug(slug))
        #expect(Slug.isSlug(text) == (slug == text))
    }
}
