import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thin, safe Swift wrapper over cmark's `cmark_node` tree: parse, walk, read
/// literals and positions, edit the tree, render HTML.
///
/// A `MarkdownDocument` owns the whole tree. `MarkdownNode`s are handles into it
/// that keep the document alive, so a node can never outlive its memory. Nodes
/// that are unlinked or newly made, and not put back into the tree, are freed
/// with the document.
public final class MarkdownDocument {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// Curly quotes, en and em dashes, ellipses.
        public static let smart = Options(rawValue: CMARK_OPT_SMART)
        /// Pass raw HTML and dangerous URLs through (the site's authors are trusted).
        public static let unsafe = Options(rawValue: CMARK_OPT_UNSAFE)
        /// Render soft line breaks as hard ones.
        public static let hardBreaks = Options(rawValue: CMARK_OPT_HARDBREAKS)
        /// Check the input for valid UTF-8, replacing bad sequences with U+FFFD.
        public static let validateUTF8 = Options(rawValue: CMARK_OPT_VALIDATE_UTF8)
    }

    let rootPointer: OpaquePointer
    public let options: Options
    /// Nodes created or unlinked through this wrapper; those that are still
    /// outside any tree when the document goes are freed with it.
    private var loose: [OpaquePointer] = []

    private init(root: OpaquePointer, options: Options) {
        self.rootPointer = root
        self.options = options
    }

    /// Parses CommonMark text.
    public convenience init(parsing bytes: UnsafeBufferPointer<UInt8>, options: Options = [.smart, .unsafe]) {
        self.init(root: Self.parse(bytes, options), options: options)
    }

    public convenience init(parsing bytes: [UInt8], options: Options = [.smart, .unsafe]) {
        self.init(root: bytes.withUnsafeBufferPointer { Self.parse($0, options) }, options: options)
    }

    public convenience init(parsing text: String, options: Options = [.smart, .unsafe]) {
        self.init(parsing: Array(text.utf8), options: options)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ options: Options) -> OpaquePointer {
        let empty: [CChar] = [0]
        return empty.withUnsafeBufferPointer { fallback in
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            return cmark_parse_document(base ?? fallback.baseAddress!, bytes.count, options.rawValue)
        }
    }

    deinit {
        // Find the loose trees before freeing any: freeing a tree frees the
        // nodes below it, which may be in `loose` too.
        // A node may be noted twice: sorted, each is freed once (a Set
        // hashed each of the two dozen nodes of a page with SipHash).
        var roots = loose.filter { $0 != rootPointer && cmark_node_parent($0) == nil }
        roots.sort { Int(bitPattern: $0) < Int(bitPattern: $1) }
        for (k, node) in roots.enumerated() where k == 0 || roots[k - 1] != node { cmark_node_free(node) }
        cmark_node_free(rootPointer)
    }

    public var root: MarkdownNode { MarkdownNode(rootPointer, in: self) }

    /// cmark's HTML for the whole document.
    public func renderHTML() -> String { root.renderHTML() }

    /// `renderHTML()` as UTF-8 (cmark writes UTF-8; it is not checked again).
    public func renderHTMLBytes() -> [UInt8] {
        var out: [UInt8] = []
        root.renderHTML(into: &out)
        return out
    }

    /// Makes a block that renders as the given raw HTML before and after its
    /// children (cmark's custom block). It belongs to no tree until inserted.
    public func makeCustomBlock(onEnter: String, onExit: String) -> MarkdownNode {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(node, onEnter)
        cmark_node_set_on_exit(node, onExit)
        loose.append(node)
        return MarkdownNode(node, in: self)
    }

    /// Makes an inline that renders as the given raw HTML around its children.
    public func makeCustomInline(onEnter: String, onExit: String) -> MarkdownNode {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        cmark_node_set_on_enter(node, onEnter)
        cmark_node_set_on_exit(node, onExit)
        loose.append(node)
        return MarkdownNode(node, in: self)
    }

    /// Makes a node of the given kind (a paragraph, a text with `literal`, ...).
    public func makeNode(_ kind: MarkdownNode.Kind, literal: String? = nil) -> MarkdownNode {
        let node = cmark_node_new(kind.cmarkType)!
        if let literal { cmark_node_set_literal(node, literal) }
        loose.append(node)
        return MarkdownNode(node, in: self)
    }

    fileprivate func noteLoose(_ node: OpaquePointer) { loose.append(node) }
}

/// A handle to one node of a `MarkdownDocument`.
public struct MarkdownNode: Hashable {
    public enum Kind: Equatable, Sendable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock,
             paragraph, heading, thematicBreak,
             text, softBreak, lineBreak, code, htmlInline, customInline,
             emphasis, strong, link, image, unknown

        init(_ t: cmark_node_type) {
            switch t {
            case CMARK_NODE_DOCUMENT: self = .document
            case CMARK_NODE_BLOCK_QUOTE: self = .blockQuote
            case CMARK_NODE_LIST: self = .list
            case CMARK_NODE_ITEM: self = .item
            case CMARK_NODE_CODE_BLOCK: self = .codeBlock
            case CMARK_NODE_HTML_BLOCK: self = .htmlBlock
            case CMARK_NODE_CUSTOM_BLOCK: self = .customBlock
            case CMARK_NODE_PARAGRAPH: self = .paragraph
            case CMARK_NODE_HEADING: self = .heading
            case CMARK_NODE_THEMATIC_BREAK: self = .thematicBreak
            case CMARK_NODE_TEXT: self = .text
            case CMARK_NODE_SOFTBREAK: self = .softBreak
            case CMARK_NODE_LINEBREAK: self = .lineBreak
            case CMARK_NODE_CODE: self = .code
            case CMARK_NODE_HTML_INLINE: self = .htmlInline
            case CMARK_NODE_CUSTOM_INLINE: self = .customInline
            case CMARK_NODE_EMPH: self = .emphasis
            case CMARK_NODE_STRONG: self = .strong
            case CMARK_NODE_LINK: self = .link
            case CMARK_NODE_IMAGE: self = .image
            default: self = .unknown
            }
        }

        var cmarkType: cmark_node_type {
            switch self {
            case .document: CMARK_NODE_DOCUMENT
            case .blockQuote: CMARK_NODE_BLOCK_QUOTE
            case .list: CMARK_NODE_LIST
            case .item: CMARK_NODE_ITEM
            case .codeBlock: CMARK_NODE_CODE_BLOCK
            case .htmlBlock: CMARK_NODE_HTML_BLOCK
            case .customBlock: CMARK_NODE_CUSTOM_BLOCK
            case .paragraph: CMARK_NODE_PARAGRAPH
            case .heading: CMARK_NODE_HEADING
            case .thematicBreak: CMARK_NODE_THEMATIC_BREAK
            case .text: CMARK_NODE_TEXT
            case .softBreak: CMARK_NODE_SOFTBREAK
            case .lineBreak: CMARK_NODE_LINEBREAK
            case .code: CMARK_NODE_CODE
            case .htmlInline: CMARK_NODE_HTML_INLINE
            case .customInline: CMARK_NODE_CUSTOM_INLINE
            case .emphasis: CMARK_NODE_EMPH
            case .strong: CMARK_NODE_STRONG
            case .link: CMARK_NODE_LINK
            case .image: CMARK_NODE_IMAGE
            case .unknown: CMARK_NODE_NONE
            }
        }

        /// Nodes that cannot have children (a walk enters them and never exits).
        public var isLeaf: Bool {
            switch self {
            case .text, .softBreak, .lineBreak, .code, .htmlInline, .codeBlock, .htmlBlock, .thematicBreak: true
            default: false
            }
        }

        public var isBlock: Bool {
            switch self {
            case .document, .blockQuote, .list, .item, .codeBlock, .htmlBlock, .customBlock,
                 .paragraph, .heading, .thematicBreak: true
            default: false
            }
        }
    }

    let pointer: OpaquePointer
    public let document: MarkdownDocument

    init(_ pointer: OpaquePointer, in document: MarkdownDocument) {
        self.pointer = pointer
        self.document = document
    }

    public static func == (a: MarkdownNode, b: MarkdownNode) -> Bool { a.pointer == b.pointer }
    public func hash(into h: inout Hasher) { h.combine(pointer) }

    private func wrap(_ p: OpaquePointer?) -> MarkdownNode? { p.map { MarkdownNode($0, in: document) } }

    // MARK: Structure

    public var kind: Kind { Kind(cmark_node_get_type(pointer)) }
    public var parent: MarkdownNode? { wrap(cmark_node_parent(pointer)) }
    public var firstChild: MarkdownNode? { wrap(cmark_node_first_child(pointer)) }
    public var lastChild: MarkdownNode? { wrap(cmark_node_last_child(pointer)) }
    public var next: MarkdownNode? { wrap(cmark_node_next(pointer)) }
    public var previous: MarkdownNode? { wrap(cmark_node_previous(pointer)) }

    /// The direct children, first to last. Safe to use while unlinking the
    /// child being visited.
    public var children: Children { Children(first: firstChild) }

    public struct Children: Sequence, IteratorProtocol {
        var nextNode: MarkdownNode?
        init(first: MarkdownNode?) { nextNode = first }
        public mutating func next() -> MarkdownNode? {
            guard let node = nextNode else { return nil }
            nextNode = node.next
            return node
        }
    }

    public enum WalkEvent { case enter, exit }
    public enum WalkStep { case `continue`, skipChildren, stop }

    /// Visits this node and everything below it in document order: `.enter` for
    /// every node, `.exit` for nodes that can have children. The tree must not
    /// change during the walk.
    public func walk(_ visit: (MarkdownNode, WalkEvent) throws -> WalkStep) rethrows {
        let iter = cmark_iter_new(pointer)
        defer { cmark_iter_free(iter) }
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { return }
            let node = MarkdownNode(cmark_iter_get_node(iter)!, in: document)
            let step = try visit(node, ev == CMARK_EVENT_ENTER ? .enter : .exit)
            switch step {
            case .continue: continue
            case .stop: return
            case .skipChildren:
                if ev == CMARK_EVENT_ENTER, !node.kind.isLeaf {
                    cmark_iter_reset(iter, node.pointer, CMARK_EVENT_EXIT)
                }
            }
        }
    }

    // MARK: Content

    /// The literal of a text, code, code block or HTML node.
    public var literal: String? {
        guard let p = cmark_node_get_literal(pointer) else { return nil }
        return String(cString: p)
    }

    /// Calls `body` with the literal's bytes, without copying them.
    public func withLiteralBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let p = cmark_node_get_literal(pointer) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let n = strlen(p)
        return try p.withMemoryRebound(to: UInt8.self, capacity: n) { try body(UnsafeBufferPointer(start: $0, count: n)) }
    }

    public func setLiteral(_ text: String) { cmark_node_set_literal(pointer, text) }

    /// 1...6 for headings, 0 otherwise.
    public var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }
    public func setHeadingLevel(_ level: Int) { cmark_node_set_heading_level(pointer, Int32(level)) }

    public enum ListKind: Sendable { case bullet, ordered, none }
    public var listKind: ListKind {
        switch cmark_node_get_list_type(pointer) {
        case CMARK_BULLET_LIST: .bullet
        case CMARK_ORDERED_LIST: .ordered
        default: .none
        }
    }
    public var listStart: Int { Int(cmark_node_get_list_start(pointer)) }
    public var isTightList: Bool { cmark_node_get_list_tight(pointer) != 0 }

    /// The destination of a link or image.
    public var url: String? { cmark_node_get_url(pointer).map { String(cString: $0) } }
    public var title: String? { cmark_node_get_title(pointer).map { String(cString: $0) } }
    /// The info string of a fenced code block.
    public var fenceInfo: String? { cmark_node_get_fence_info(pointer).map { String(cString: $0) } }

    /// Where the node starts and ends in the parsed text (1-based line, byte
    /// column). cmark gives no position for soft and hard line breaks (0).
    public var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
    public var startColumn: Int { Int(cmark_node_get_start_column(pointer)) }
    public var endLine: Int { Int(cmark_node_get_end_line(pointer)) }
    public var endColumn: Int { Int(cmark_node_get_end_column(pointer)) }

    /// The text a reader sees in this node and below: text and code literals,
    /// line breaks as spaces; no raw HTML, no link destinations, no image alt text
    /// when `images` is false.
    public func plainText(includingCode: Bool = true, images: Bool = false) -> String {
        var out = ""
        walk { node, event in
            guard event == .enter else { return .continue }
            switch node.kind {
            case .text: out += node.literal ?? ""
            case .code: if includingCode { out += node.literal ?? "" }
            case .softBreak, .lineBreak: out += " "
            case .image: return images ? .continue : .skipChildren
            case .htmlInline, .htmlBlock, .codeBlock: return .skipChildren
            default: break
            }
            return .continue
        }
        return out
    }

    // MARK: Editing

    /// Takes the node out of its tree. It is freed with the document unless it is
    /// put back somewhere.
    public func unlink() {
        cmark_node_unlink(pointer)
        document.noteLoose(pointer)
    }

    @discardableResult
    public func append(_ child: MarkdownNode) -> Bool {
        precondition(child.document === document, "nodes of different documents")
        return cmark_node_append_child(pointer, child.pointer) != 0
    }

    @discardableResult
    public func insertBefore(_ sibling: MarkdownNode) -> Bool {
        precondition(sibling.document === document, "nodes of different documents")
        return cmark_node_insert_before(pointer, sibling.pointer) != 0
    }

    @discardableResult
    public func insertAfter(_ sibling: MarkdownNode) -> Bool {
        precondition(sibling.document === document, "nodes of different documents")
        return cmark_node_insert_after(pointer, sibling.pointer) != 0
    }

    /// Puts `other` where this node is; this node leaves the tree.
    @discardableResult
    public func replace(with other: MarkdownNode) -> Bool {
        precondition(other.document === document, "nodes of different documents")
        let ok = cmark_node_replace(pointer, other.pointer) != 0
        if ok { document.noteLoose(pointer) }
        return ok
    }

    /// Moves all children of this node to the end of `target`.
    public func moveChildren(to target: MarkdownNode) {
        while let child = cmark_node_first_child(pointer) {
            cmark_node_unlink(child)
            if cmark_node_append_child(target.pointer, child) == 0 {
                document.noteLoose(child)
            }
        }
    }

    // MARK: Rendering

    /// cmark's HTML for this node and its children, with the document's options.
    public func renderHTML() -> String {
        guard let out = cmark_render_html(pointer, document.options.rawValue) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }

    /// Appends cmark's HTML for this node to `buffer`, without an intermediate String.
    public func renderHTML(into buffer: inout [UInt8]) {
        guard let out = cmark_render_html(pointer, document.options.rawValue) else { return }
        defer { free(out) }
        let n = strlen(out)
        out.withMemoryRebound(to: UInt8.self, capacity: n) {
            buffer.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
        }
    }
}
