import Foundation
import Testing
@testable import WharfExpression

/// FEELValue <-> JSON: message bodies in, result contexts out.
@Suite struct JSONTests {
    static let documents: [String] = [
        #"{"b":1,"a":[true,false,null],"c":{"z":"é\n\"q\"","y":-0.5}}"#,
        #"[1,2.25,"x",[],{}]"#,
        #""just a string""#, "42", "null", "12345678901234567890.123",
    ]

    @Test(arguments: documents)
    func roundTripKeepsTextAndOrder(_ json: String) throws {
        let value = try FEELValue(jsonString: json)
        #expect(value.jsonString() == json)
        #expect(try FEELValue(jsonData: value.jsonData()) == value)
    }

    @Test func readsValuesExactly() throws {
        let value = try FEELValue(jsonString: #" { "n": 0.1, "e": 1.5E3, "u": "\u00e9\ud83d\ude00", "s": "a\/b" } "#)
        #expect(value == ["n": 0.1, "e": 1500, "u": "é😀", "s": "a/b"])
        #expect(try FEELValue(jsonString: #"{"a":1,"a":2}"#) == ["a": 2])
    }

    static let invalid: [(String, String)] = [
        ("", "unexpected end of JSON at byte 0"), ("{", "expected a string key at byte 1"),
        ("[1,]", "invalid value at byte 3"), (#"{"a" 1}"#, #"expected ":" at byte 5"#),
        ("01", "leading zero in number at byte 2"), ("1 2", "unexpected data after the JSON value at byte 2"),
        (#""abc"#, "unterminated string at byte 4"), ("tru", "invalid literal at byte 0"),
        ("not json", "invalid literal at byte 0"), ("xyz", "invalid value at byte 0"), (#""\x""#, "invalid escape at byte 2"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidJSON(json: String, description: String) {
        let error = #expect(throws: FEELJSONError.self) { try FEELValue(jsonString: json) }
        #expect(error?.description == description)
    }

    @Test func rejectsInvalidUTF8() throws {
        let error = #expect(throws: FEELJSONError.self) {
            try FEELValue(jsonData: Data([0x22, 0x61, 0xFF, 0x22]))
        }
        #expect(error?.description == "invalid UTF-8 in string at byte 1")
        #expect(try FEELValue(jsonData: Data([0xEF, 0xBB, 0xBF, 0x31])) == 1)  // BOM accepted
    }

    @Test func deepBodiesAreRejectedNotCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        let error = #expect(throws: FEELJSONError.self) { try FEELValue(jsonString: deep) }
        #expect(error?.message == "JSON nested too deeply")
    }

    @Test func convertsJSONSerializationOutput() throws {
        let data = Data(#"{"t":true,"f":false,"one":1,"zero":0,"half":0.5,"tenth":1.1,"s":"x","n":null,"l":[1,true]}"#.utf8)
        let object = try JSONSerialization.jsonObject(with: data)
        let value = FEELValue(json: object)
        #expect(value == ["t": true, "f": false, "one": 1, "zero": 0, "half": 0.5, "tenth": 1.1,
                          "s": "x", "n": nil, "l": [1, true]])
        guard case .context(let c) = value else { Issue.record("not a context"); return }
        #expect(c.keys == c.keys.sorted())  // NSDictionary has no order; sorted is deterministic
    }

    @Test func convertsPlainSwiftValues() {
        let value = FEELValue(json: ["a": [1, 2.5, "s", true] as [Any], "b": NSNull()] as [String: Any])
        #expect(value == ["a": [1, 2.5, "s", true], "b": nil])
    }

    @Test func jsonObjectRoundTripsThroughJSONSerialization() throws {
        let value: FEELValue = ["id": 1001, "price": 15.5, "ok": true, "tags": ["a"], "none": nil]
        let data = try JSONSerialization.data(withJSONObject: value.jsonObject)
        #expect(FEELValue(json: try JSONSerialization.jsonObject(with: data)) == value)
        #expect(value["id"].map { FEELValue(json: $0.jsonObject) } == 1001)
        #expect((value.jsonObject as? [String: Any])?["id"] as? Int == 1001)
    }

    @Test func contextKeepsInsertionOrderAndIgnoresItForEquality() {
        var c: FEELContext = ["z": 1, "a": 2]
        c["m"] = 3
        c["z"] = 4
        #expect(c.keys == ["z", "a", "m"])
        c["a"] = nil
        #expect(c.keys == ["z", "m"])
        #expect(FEELValue.context(c) == ["m": 3, "z": 4])
        #expect(FEELValue.context(c).jsonString() == #"{"z":4,"m":3}"#)
    }

    @Test func evaluatingABodyThatIsNotJSON() throws {
        // The connector falls back to the raw string; paths into it are then null.
        let body = (try? FEELValue(jsonString: "hello")) ?? .string("hello")
        #expect(try eval("body.id", in: ["body": body]) == nil)
        #expect(try eval(#"starts with(body, "he")"#, in: ["body": body]) == true)
    }
}

/// The typed JSON form (the TCK runner's): temporal values as {"$type", "value"} objects.
@Suite struct TypedJSONTests {
    @Test func writesAndReadsTemporalValues() throws {
        let value = try FEELExpression(parsing: #"{d: @"2017-01-02", t: @"12:59:01.3-01:00", dt: @"2016-12-24T23:59:00@Europe/Paris", p: @"P13DT2H14S", y: @"P1Y2M", n: 1.5}"#)
            .evaluate(in: nil)
        let typed = value.jsonString(style: .typed)
        #expect(typed == #"{"d":{"$type":"date","value":"2017-01-02"},"t":{"$type":"time","value":"12:59:01.300-01:00"},"dt":{"$type":"date and time","value":"2016-12-24T23:59:00@Europe/Paris"},"p":{"$type":"duration","value":"P13DT2H14S"},"y":{"$type":"duration","value":"P1Y2M"},"n":1.5}"#)
        #expect(try FEELValue(jsonString: typed, style: .typed) == value)
        // Plain JSON writes the ISO text.
        #expect(value.jsonString() == #"{"d":"2017-01-02","t":"12:59:01.300-01:00","dt":"2016-12-24T23:59:00@Europe/Paris","p":"P13DT2H14S","y":"P1Y2M","n":1.5}"#)
    }

    @Test func readsTypedNumbersAndRejectsBadValues() throws {
        #expect(try FEELValue(jsonString: #"[{"$type": "number", "value": "0.1"}]"#, style: .typed) == [0.1])
        #expect(throws: FEELJSONError.self) { try FEELValue(jsonString: #"{"$type": "date", "value": "2017-13-01"}"#, style: .typed) }
        // Without .typed such an object is just a context.
        #expect(try FEELValue(jsonString: #"{"$type": "date", "value": "x"}"#) == ["$type": "date", "value": "x"])
    }
}
