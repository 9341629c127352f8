import Testing
import WharfEngine

/// Message and request ids: version-4 UUID form, unique.
struct IdentifierTests {
    @Test func uuidsHaveTheVersion4Form() {
        let ids = IdentifierGenerator()
        for _ in 0..<1000 {
            let id = Array(ids.uuid().utf8)
            #expect(id.count == 36)
            for (index, byte) in id.enumerated() {
                if [8, 13, 18, 23].contains(index) {
                    #expect(byte == UInt8(ascii: "-"))
                } else {
                    #expect(Array("0123456789abcdef".utf8).contains(byte))
                }
            }
            #expect(id[14] == UInt8(ascii: "4"))
            #expect(Array("89ab".utf8).contains(id[19]))
        }
    }

    @Test func idsAreUniqueWithinAndAcrossGenerators() {
        let first = IdentifierGenerator(), second = IdentifierGenerator()
        var seen = Set<String>()
        for _ in 0..<50_000 {
            seen.insert(first.uuid())
            seen.insert(second.uuid())
        }
        #expect(seen.count == 100_000)
    }
}
