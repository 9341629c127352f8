import Foundation

struct Token: Equatable {
    enum Kind: Equatable {
        case name(String)
        /// A `` `backtick` `` name: taken verbatim, never joined with neighbouring words.
        case quotedName(String)
        case keyword(String)
        case string(String)
        /// `@"…"`: the text of a temporal literal.
        case at(String)
        case number(Decimal)
        case symbol(String)
        case end
    }

    let kind: Kind
    /// Character offset of the token's first character.
    let offset: Int

    /// How the token is named in "expected X, found Y" messages.
    var display: String {
        switch kind {
        case .name(let n), .quotedName(let n): "name \"\(n)\""
        case .keyword(let k): "\"\(k)\""
        case .string: "a string"
        case .at: "a temporal literal"
        case .number(let n): "number \(n)"
        case .symbol(let s): "\"\(s)\""
        case .end: "end of input"
        }
    }

    /// The word, if the token is a plain (unquoted) name.
    var word: String? {
        if case .name(let n) = kind { return n }
        return nil
    }
}
