import Foundation

/// `JSONSerialization` for a top-level object, nil for anything else.
enum JSONObject {
    static func parse(_ text: String) -> [String: Any]? {
        guard let data = text.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
