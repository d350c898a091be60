import Testing

@testable import GyreCore

@Suite("YAML loader")
struct YAMLLoaderTests {
    func load(_ text: String) throws -> Node? {
        try YAMLLoader().load(Array(text.utf8))
    }

    func failure(_ text: String) -> YAMLError? {
        do {
            _ = try YAMLLoader().load(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    func pairs(_ node: Node?) throws -> [Node.Pair] {
        guard case .mapping(let pairs)? = node?.content else {
            Issue.record("not a mapping: \(String(describing: node))")
            return []
        }
        return pairs
    }

    func items(_ node: Node?) throws -> [Node] {
        guard case .sequence(let items)? = node?.content else {
            Issue.record("not a list: \(String(describing: node))")
            return []
        }
        return items
    }

    func value(_ node: Node?, _ key: String) throws -> Node? {
        try pairs(node).first { $0.key.scalarText == key }?.value
    }

    @Test func marksAreOneBasedInBlockAndFlowStyles() throws {
        let root = try load("""
            a: 1
            b:
              c: [x, {y: z}]
              d:
                - e
                - 'f'
            """)
        #expect(root?.mark == Mark(line: 1, column: 1))
        #expect(try value(root, "a")?.mark == Mark(line: 1, column: 4))
        let b = try value(root, "b")
        #expect(b?.mark == Mark(line: 3, column: 3))
        let keys = try pairs(b).map(\.key.mark)
        #expect(keys == [Mark(line: 3, column: 3), Mark(line: 4, column: 3)])
        let c = try value(b, "c")
        #expect(c?.mark == Mark(line: 3, column: 6))
        let flow = try items(c)
        #expect(flow.map(\.mark) == [Mark(line: 3, column: 7), Mark(line: 3, column: 10)])
        #expect(try value(flow.last, "y")?.mark == Mark(line: 3, column: 14))
        let d = try value(b, "d")
        #expect(d?.mark == Mark(line: 5, column: 5))
        let block = try items(d)
        #expect(block.map(\.mark) == [Mark(line: 5, column: 7), Mark(line: 6, column: 7)])
        #expect(block.map(\.scalarText) == ["e", "f"])
    }

    @Test func quotingIsKeptSoTheSchemaCanTellStringsFromNumbers() throws {
        let root = try load("a: 7\nb: \"7\"\nc: '7'\nd: !!str 7\n")
        let plain = try pairs(root).map { pair -> Bool in
            if case .scalar(let s) = pair.value.content { return s.isPlain }
            return false
        }
        #expect(plain == [true, false, false, false])
    }

    @Test func duplicateKeysReportBothLocations() throws {
        let error = try #require(failure("name: a\nseed: 1\nname: b\n"))
        #expect(error.message == "duplicate key `name`")
        #expect(error.mark == Mark(line: 3, column: 1))
        #expect(error.note?.message == "first defined here")
        #expect(error.note?.mark == Mark(line: 1, column: 1))
    }

    @Test func everyDuplicateKeyIsReportedAndTheFirstValueKept() throws {
        let loaded = try YAMLLoader().loadReportingDuplicates(Array("a: 1\nb: {x: 1, x: 2}\na: 3\n".utf8))
        #expect(loaded.duplicates.map(\.message) == ["duplicate key `x`", "duplicate key `a`"])
        #expect(loaded.duplicates.map(\.mark) == [Mark(line: 2, column: 11), Mark(line: 3, column: 1)])
        #expect(loaded.duplicates.map(\.note?.mark) == [Mark(line: 2, column: 5), Mark(line: 1, column: 1)])
        #expect(try value(loaded.root, "a")?.scalarText == "1")
        #expect(try pairs(try value(loaded.root, "b")).map(\.value.scalarText) == ["1"])
    }

    @Test func duplicateKeysInFlowMappings() throws {
        let error = try #require(failure("trust: {lo: 0.1, lo: 0.2}\n"))
        #expect(error.message == "duplicate key `lo`")
        #expect(error.mark == Mark(line: 1, column: 18))
        #expect(error.note?.mark == Mark(line: 1, column: 9))
    }

    @Test func billionLaughsFailsFast() throws {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(refs)]\n"
        }
        let clock = ContinuousClock()
        var error: YAMLError?
        let elapsed = clock.measure { error = failure(text) }
        let bomb = try #require(error)
        #expect(bomb.message.contains("alias bomb"))
        #expect(bomb.message.contains("200000 nodes"))
        #expect(bomb.mark == Mark(line: 6, column: 15))
        #expect(elapsed < .milliseconds(500))
    }

    @Test func aliasesExpandAndKeepTheAliasMark() throws {
        let root = try load("base: &b {a: 3.61}\nuse: *b\n")
        let use = try value(root, "use")
        #expect(use?.mark == Mark(line: 2, column: 6))
        #expect(try value(use, "a")?.scalarText == "3.61")
    }

    @Test func anAliasToAnUndefinedAnchorIsAnError() throws {
        let error = try #require(failure("a: *nowhere\n"))
        #expect(error.message == "alias *nowhere refers to no anchor &nowhere defined before it")
        #expect(error.mark == Mark(line: 1, column: 4))
    }

    @Test func mergeKeysMergeAndOwnKeysWin() throws {
        let root = try load("""
            base: &base {lattice: fcc, a: 3.61}
            extra: &extra {a: 9.0, repeat: 2}
            bulk:
              <<: [*base, *extra]
              a: 3.70
            """)
        let bulk = try pairs(try value(root, "bulk"))
        #expect(bulk.map(\.key.scalarText) == ["a", "lattice", "repeat"])
        #expect(bulk.map(\.value.scalarText) == ["3.70", "fcc", "2"])
    }

    @Test func mergeOfAScalarIsAnError() throws {
        let error = try #require(failure("bulk:\n  <<: fcc\n"))
        #expect(error.message == "`<<` merges mappings only, found `fcc`")
        #expect(error.mark == Mark(line: 2, column: 7))
    }

    @Test func depthIsBounded() throws {
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try load(ok) != nil)
        let error = try #require(failure(String(repeating: "[", count: 10_000)))
        #expect(error.message == "nesting deeper than 128 levels")
        #expect(error.mark == Mark(line: 1, column: 129))
    }

    @Test func syntaxErrorsCarryProblemAndContextMarks() throws {
        let error = try #require(failure("elements: [Cu, Au\nseed: 1\n"))
        #expect(error.message.hasPrefix("did not find expected ',' or ']'"))
        #expect(error.message.contains("is the `[` opened at 1:11 missing its `]`?"))
        // Inside `[ … ]` the next line is still part of the list: libyaml stops at its `:`.
        #expect(error.mark == Mark(line: 2, column: 5))
        #expect(error.note?.message == "while parsing a flow sequence")
        #expect(error.note?.mark == Mark(line: 1, column: 11))
    }

    @Test func tabsInIndentationSaySo() throws {
        let error = try #require(failure("train:\n\tmodels: 4\n"))
        #expect(error.message.contains("tab"))
        #expect(error.message.contains("YAML indents with spaces"))
        #expect(error.mark == Mark(line: 2, column: 1))
    }

    @Test func invalidUTF8IsLocated() throws {
        var bytes = Array("a: 1\nb: caf".utf8)
        bytes += [0xC3, 0x28, 0x0A]
        do {
            _ = try YAMLLoader().load(bytes)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.message.contains("invalid trailing UTF-8 octet at byte 12 (0x28)"))
            #expect(error.message.contains("must be UTF-8 text"))
            #expect(error.mark == Mark(line: 2, column: 8))
        }
    }

    @Test func emptyAndCommentOnlyDocumentsHaveNoRoot() throws {
        #expect(try load("") == nil)
        #expect(try load("# nothing here\n\n") == nil)
    }

    @Test func oneDocumentPerFile() throws {
        let error = try #require(failure("a: 1\n---\nb: 2\n"))
        #expect(error.message.contains("holds one YAML document"))
        #expect(error.mark == Mark(line: 2, column: 1))
    }

    @Test func sizeIsBounded() throws {
        var limits = YAMLLoader.Limits()
        limits.maxBytes = 16
        do {
            _ = try YAMLLoader(limits: limits).load(Array("name: a-long-workflow-name\n".utf8))
            Issue.record("an oversized document was accepted")
        } catch {
            #expect(error.message.contains("must be under"))
        }
    }

    @Test func nonScalarKeysAreRejected() throws {
        let error = try #require(failure("? [a, b]\n: 1\n"))
        #expect(error.message.contains("mapping keys must be plain text, not a list"))
        #expect(error.mark == Mark(line: 1, column: 3))
    }
}
