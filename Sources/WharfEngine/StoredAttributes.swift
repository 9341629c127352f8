import Foundation

/// How message attributes are stored: JSON of `MessageAttributes`, with one shared encoder and
/// decoder (fixed options, safe to share) rather than a new one per message.
enum StoredAttributes {
    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()
}
