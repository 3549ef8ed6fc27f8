import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 for the REST tests (the connector's own, and the CLI's kill
/// tests, which run it beside a `storehouse ingest` process), one connection at a time, that answers
/// each request with what `handle` says — including the faults real APIs show: a status with
/// headers, a slow answer, a connection dropped without an answer.
public final class FakeRestServer: @unchecked Sendable {
    public enum Answer {
        case json(Any, status: Int = 200, headers: [String: String] = [:])
        case raw(String, status: Int = 200, headers: [String: String] = [:])
        /// Waits, then answers.
        indirect case slow(seconds: Double, Answer)
        /// Closes the connection without a word.
        case drop
    }

    public struct Request: Sendable {
        public var path: String
        public var query: [String: String]
        public var headers: [String: String]
    }

    public let port: UInt16
    private let socketFD: Int32
    private let handle: @Sendable (Request) -> Answer
    private let lock = NSLock()
    private var seen: [Request] = []
    private var stopped = false

    public init(_ handle: @escaping @Sendable (Request) -> Answer) throws {
        self.handle = handle
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(socketFD, 16) == 0 else { throw NSError(domain: "FakeRestServer", code: Int(errno)) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        self.socketFD = socketFD
        let thread = Thread { [unowned self] in self.serve() }
        thread.start()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public var requests: [Request] { lock.withLock { seen } }

    public func stop() {
        lock.withLock { stopped = true }
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    private func serve() {
        while true {
            let client = accept(socketFD, nil, nil)
            if client < 0 { return }
            if lock.withLock({ stopped }) { close(client); return }
            // A connection of its own thread, so a slow answer does not hold up the retry behind it.
            Thread { [self] in handleConnection(client) }.start()
        }
    }

    private func handleConnection(_ client: Int32) {
        defer { close(client) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var received = Data()
        while !received.contains(Data("\r\n\r\n".utf8)) {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { return }
            received.append(contentsOf: buffer[0..<count])
        }
        let head = String(decoding: received, as: UTF8.self).components(separatedBy: "\r\n")
        let target = head.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let components = URLComponents(string: target)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        var headers: [String: String] = [:]
        for line in head.dropFirst() where line.contains(":") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            headers[parts[0].lowercased()] = parts[1]
        }
        let request = Request(path: components?.path ?? target, query: query, headers: headers)
        lock.withLock { seen.append(request) }
        respond(handle(request), to: client)
    }

    private func respond(_ answer: Answer, to client: Int32) {
        switch answer {
        case .drop:
            return
        case .slow(let seconds, let then):
            Thread.sleep(forTimeInterval: seconds)
            respond(then, to: client)
        case .json(let object, let status, let headers):
            let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            write(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: body, to: client)
        case .raw(let text, let status, let headers):
            write(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: Data(text.utf8), to: client)
        }
    }

    private func write(status: Int, headers: [String: String], body: Data, to client: Int32) {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let bytes = Data((head + "\r\n").utf8) + body
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(client, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
