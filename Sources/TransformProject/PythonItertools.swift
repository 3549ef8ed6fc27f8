import Foundation
import Templating

/// `modules.itertools` as dbt gives templates Python's: `chain`, `product`, `combinations`,
/// `permutations` (results as lists of tuples, which templates iterate or pipe to `list`).
enum PythonItertools {
    static var value: Value {
        .object(HostObject(name: "itertools", members: [
            "chain": .function(NativeFunction(name: "chain") { args in
                Value(try args.positional.flatMap { ($0.listValue ?? []) })
            }),
            "product": .function(NativeFunction(name: "product") { args in
                let pools = try args.positional.map { ($0.listValue ?? []) }
                let repeated = Array(repeating: pools, count: max(args.keyword("repeat")?.intValue ?? 1, 1)).flatMap { $0 }
                var result: [[Value]] = [[]]
                for pool in repeated { result = result.flatMap { prefix in pool.map { prefix + [$0] } } }
                return Value(result.map { .list(ListBox($0, isTuple: true)) })
            }),
            "combinations": .function(NativeFunction(name: "combinations") { args in
                let pool = (try args.required(0, "iterable", of: "combinations")).listValue ?? []
                let size = args.arg(1, "r")?.intValue ?? 0
                return Value(choose(pool, size, ordered: false).map { .list(ListBox($0, isTuple: true)) })
            }),
            "permutations": .function(NativeFunction(name: "permutations") { args in
                let pool = (try args.required(0, "iterable", of: "permutations")).listValue ?? []
                let size = args.arg(1, "r")?.intValue ?? pool.count
                return Value(choose(pool, size, ordered: true).map { .list(ListBox($0, isTuple: true)) })
            }),
        ]))
    }

    /// Python's order: combinations by index order; permutations in lexicographic index order.
    static func choose(_ pool: [Value], _ size: Int, ordered: Bool) -> [[Value]] {
        guard size >= 0, size <= pool.count else { return [] }
        var out: [[Value]] = []
        func walk(_ picked: [Int]) {
            if picked.count == size { out.append(picked.map { pool[$0] }); return }
            let start = ordered ? 0 : (picked.last.map { $0 + 1 } ?? 0)
            for i in start..<pool.count where !picked.contains(i) { walk(picked + [i]) }
        }
        walk([])
        return out
    }
}
