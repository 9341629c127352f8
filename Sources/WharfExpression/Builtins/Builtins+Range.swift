import Foundation

/// DMN 1.5's range functions (before, after, meets, overlaps, includes, …), each defined on
/// points and ranges as in the spec's table 78. Results are three-valued: null when the
/// endpoints cannot be compared. A one-sided range (`< 10`) has an infinite other end.
extension Builtins {
    private enum Point {
        case below, above, value(FEELValue)
    }

    private struct Span {
        let start: Point, startIncluded: Bool, end: Point, endIncluded: Bool

        init?(_ value: FEELValue) {
            guard case .range(let r) = value, r.kind != .equal, r.kind != .notEqual else { return nil }
            start = r.start.map(Point.value) ?? .below
            end = r.end.map(Point.value) ?? .above
            startIncluded = r.start != nil && r.startIncluded
            endIncluded = r.end != nil && r.endIncluded
        }
    }

    private static func lt(_ a: Point, _ b: Point) -> FEELValue {
        switch (a, b) {
        case (.value(let x), .value(let y)): Comparison.apply(.less, x, y)
        case (.below, .below), (.above, .above), (_, .below), (.above, _): .bool(false)
        case (.below, _), (_, .above): .bool(true)
        }
    }

    private static func eq(_ a: Point, _ b: Point) -> FEELValue {
        switch (a, b) {
        case (.value(let x), .value(let y)): Comparison.equal(x, y)
        case (.below, .below), (.above, .above): .bool(true)
        default: .bool(false)
        }
    }

    private static func gt(_ a: Point, _ b: Point) -> FEELValue { lt(b, a) }
    private static func and(_ values: FEELValue...) -> FEELValue { values.reduce(.bool(true), Logic.and) }
    private static func or(_ values: FEELValue...) -> FEELValue { values.reduce(.bool(false), Logic.or) }
    private static func b(_ flag: Bool) -> FEELValue { .bool(flag) }

    /// One built-in over the four argument shapes; a missing shape answers null.
    private static func rangeFunction(
        _ names: [[String]],
        points: (@Sendable (Point, Point) -> FEELValue)? = nil,
        pointRange: (@Sendable (Point, Span) -> FEELValue)? = nil,
        rangePoint: (@Sendable (Span, Point) -> FEELValue)? = nil,
        ranges: (@Sendable (Span, Span) -> FEELValue)? = nil
    ) -> Builtin {
        Builtin(signatures: names) { c in
            let (x, y) = (c[0], c[1])
            if x == .null || y == .null { return .null }
            switch (Span(x), Span(y)) {
            case (let r?, let s?): return ranges?(r, s) ?? .null
            case (let r?, nil): return rangePoint?(r, .value(y)) ?? .null
            case (nil, let s?): return pointRange?(.value(x), s) ?? .null
            case (nil, nil):
                if case .range = x { return .null }
                if case .range = y { return .null }
                return points?(.value(x), .value(y)) ?? .null
            }
        }
    }

    private static let pointsOrRanges = [["point1", "point2"], ["point", "range"], ["range", "point"], ["range1", "range2"]]

    static let range: [String: Builtin] = [
        "before": rangeFunction(
            pointsOrRanges,
            points: { p, q in lt(p, q) },
            pointRange: { p, r in or(lt(p, r.start), and(eq(p, r.start), b(!r.startIncluded))) },
            rangePoint: { r, p in or(lt(r.end, p), and(eq(r.end, p), b(!r.endIncluded))) },
            ranges: { r, s in or(lt(r.end, s.start), and(b(!r.endIncluded || !s.startIncluded), eq(r.end, s.start))) }),
        "after": rangeFunction(
            pointsOrRanges,
            points: { p, q in gt(p, q) },
            pointRange: { p, r in or(gt(p, r.end), and(eq(p, r.end), b(!r.endIncluded))) },
            rangePoint: { r, p in or(gt(r.start, p), and(eq(r.start, p), b(!r.startIncluded))) },
            ranges: { r, s in or(gt(r.start, s.end), and(b(!r.startIncluded || !s.endIncluded), eq(r.start, s.end))) }),
        "meets": rangeFunction(
            [["range1", "range2"]],
            ranges: { r, s in and(b(r.endIncluded), b(s.startIncluded), eq(r.end, s.start)) }),
        "met by": rangeFunction(
            [["range1", "range2"]],
            ranges: { r, s in and(b(r.startIncluded), b(s.endIncluded), eq(r.start, s.end)) }),
        "overlaps": rangeFunction(
            [["range1", "range2"]],
            ranges: { r, s in
                and(or(gt(r.end, s.start), and(eq(r.end, s.start), b(r.endIncluded), b(s.startIncluded))),
                    or(lt(r.start, s.end), and(eq(r.start, s.end), b(r.startIncluded), b(s.endIncluded))))
            }),
        "overlaps before": rangeFunction(
            [["range1", "range2"]],
            ranges: { r, s in
                and(or(lt(r.start, s.start), and(eq(r.start, s.start), b(r.startIncluded), b(!s.startIncluded))),
                    or(gt(r.end, s.start), and(eq(r.end, s.start), b(r.endIncluded), b(s.startIncluded))),
                    or(lt(r.end, s.end), and(eq(r.end, s.end), b(!r.endIncluded || s.endIncluded))))
            }),
        "overlaps after": rangeFunction(
            [["range1", "range2"]],
            ranges: { r, s in
                and(or(lt(s.start, r.start), and(eq(s.start, r.start), b(s.startIncluded), b(!r.startIncluded))),
                    or(gt(s.end, r.start), and(eq(s.end, r.start), b(s.endIncluded), b(r.startIncluded))),
                    or(lt(s.end, r.end), and(eq(s.end, r.end), b(!s.endIncluded || r.endIncluded))))
            }),
        "finishes": rangeFunction(
            [["point", "range"], ["range1", "range2"]],
            pointRange: { p, r in and(b(r.endIncluded), eq(r.end, p)) },
            ranges: { r, s in
                and(b(r.endIncluded == s.endIncluded), eq(r.end, s.end),
                    or(gt(r.start, s.start), and(eq(r.start, s.start), b(!r.startIncluded || s.startIncluded))))
            }),
        "finished by": rangeFunction(
            [["range", "point"], ["range1", "range2"]],
            rangePoint: { r, p in and(b(r.endIncluded), eq(r.end, p)) },
            ranges: { r, s in
                and(b(r.endIncluded == s.endIncluded), eq(r.end, s.end),
                    or(lt(r.start, s.start), and(eq(r.start, s.start), b(r.startIncluded || !s.startIncluded))))
            }),
        "includes": rangeFunction(
            [["range", "point"], ["range1", "range2"]],
            rangePoint: { r, p in includes(r, p) },
            ranges: { r, s in includes(r, s) }),
        "during": rangeFunction(
            [["point", "range"], ["range1", "range2"]],
            pointRange: { p, r in includes(r, p) },
            ranges: { r, s in includes(s, r) }),
        "starts": rangeFunction(
            [["point", "range"], ["range1", "range2"]],
            pointRange: { p, r in and(b(r.startIncluded), eq(r.start, p)) },
            ranges: { r, s in
                and(eq(r.start, s.start), b(r.startIncluded == s.startIncluded),
                    or(lt(r.end, s.end), and(eq(r.end, s.end), b(!r.endIncluded || s.endIncluded))))
            }),
        "started by": rangeFunction(
            [["range", "point"], ["range1", "range2"]],
            rangePoint: { r, p in and(b(r.startIncluded), eq(r.start, p)) },
            ranges: { r, s in
                and(eq(r.start, s.start), b(r.startIncluded == s.startIncluded),
                    or(lt(s.end, r.end), and(eq(s.end, r.end), b(!s.endIncluded || r.endIncluded))))
            }),
        "coincides": rangeFunction(
            [["point1", "point2"], ["range1", "range2"]],
            points: { p, q in eq(p, q) },
            ranges: { r, s in
                and(eq(r.start, s.start), b(r.startIncluded == s.startIncluded), eq(r.end, s.end),
                    b(r.endIncluded == s.endIncluded))
            }),
    ]

    private static func includes(_ r: Span, _ p: Point) -> FEELValue {
        or(and(lt(r.start, p), gt(r.end, p)), and(eq(r.start, p), b(r.startIncluded)), and(eq(r.end, p), b(r.endIncluded)))
    }

    private static func includes(_ r: Span, _ s: Span) -> FEELValue {
        and(or(lt(r.start, s.start), and(eq(r.start, s.start), b(r.startIncluded || !s.startIncluded))),
            or(gt(r.end, s.end), and(eq(r.end, s.end), b(r.endIncluded || !s.endIncluded))))
    }
}
