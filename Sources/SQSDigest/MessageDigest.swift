import Crypto
import Foundation
import SQSModel


/// The MD5 digests SQS returns, exactly as AWS computes them (docs/sqs-behaviour.md#md5-digests).
/// SDKs for Java, Go and JavaScript verify them, so a single byte off breaks real clients.
public enum MessageDigest {
    /// `MD5OfMessageBody` / `MD5OfBody`: MD5 of the body's UTF-8 bytes as received.
    public static func md5(ofBody body: String) -> String {
        var body = body
        return body.withUTF8 { hex(Insecure.MD5.hash(data: UnsafeRawBufferPointer($0))) }
    }

    /// The content-based FIFO deduplication id: SHA-256 of the body, hex.
    public static func sha256(ofBody body: String) -> String {
        hex(SHA256.hash(data: Array(body.utf8)))
    }

    /// `MD5OfMessageAttributes` (and `MD5OfMessageSystemAttributes`): names sorted by their UTF-8
    /// bytes, each as length-prefixed name, length-prefixed data type, a transport byte
    /// (1 string, 2 binary, 3 string list, 4 binary list) and the length-prefixed value(s).
    /// Returns nil for an empty map: SQS omits the field then.
    public static func md5(ofAttributes attributes: MessageAttributes) -> String? {
        if attributes.isEmpty { return nil }
        var hasher = Insecure.MD5()
        // Byte-wise ordering, as the Java SDK's String sort does for these names
        // (docs/sqs-behaviour.md#attribute-digest).
        let names = attributes.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let value = attributes[name]!
            update(&hasher, lengthPrefixed: Array(name.utf8))
            update(&hasher, lengthPrefixed: Array(value.DataType.utf8))
            if let string = value.StringValue {
                hasher.update(data: [1])
                update(&hasher, lengthPrefixed: Array(string.utf8))
            } else if let binary = value.BinaryValue {
                hasher.update(data: [2])
                update(&hasher, lengthPrefixed: Array(binary))
            } else if let list = value.StringListValues, !list.isEmpty {
                hasher.update(data: [3])
                for item in list { update(&hasher, lengthPrefixed: Array(item.utf8)) }
            } else if let list = value.BinaryListValues, !list.isEmpty {
                hasher.update(data: [4])
                for item in list { update(&hasher, lengthPrefixed: Array(item)) }
            }
        }
        return hex(hasher.finalize())
    }

    private static func update(_ hasher: inout Insecure.MD5, lengthPrefixed bytes: [UInt8]) {
        let length = UInt32(bytes.count).bigEndian
        withUnsafeBytes(of: length) { hasher.update(bufferPointer: $0) }
        hasher.update(data: bytes)
    }

    private static func hex<D: Digest>(_ digest: D) -> String {
        // Straight into the string's storage: every message sent computes one.
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                for (index, byte) in bytes.enumerated() {
                    let high = byte >> 4, low = byte & 0x0f
                    out[2 * index] = high < 10 ? 48 + high : 87 + high
                    out[2 * index + 1] = low < 10 ? 48 + low : 87 + low
                }
                return bytes.count * 2
            }
        }
    }
}
