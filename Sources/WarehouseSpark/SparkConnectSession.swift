import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import WarehouseKit

/// One Spark Connect session over one HTTP/2 channel: plans go out as `ExecutePlan` calls and
/// their responses (Arrow batches, command results) come back as a stream.
///
/// Spark Connect multiplexes calls on the channel and lets several run at once in one session, so
/// every connection a `SparkWarehouse` lends shares this session (and so its current schema and
/// settings). Messages follow Spark Connect's published protocol, package `spark.connect`
/// (`Protocol/SparkConnect.pb.swift`).
final class SparkConnectSession: Sendable {
    let configuration: SparkConfiguration
    let sessionID = UUID().uuidString.lowercased()
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>
    private let serverSession = ServerSessionID()

    static let service = "spark.connect.SparkConnectService"
    static let executePlan = MethodDescriptor(fullyQualifiedService: service, method: "ExecutePlan")
    static let interrupt = MethodDescriptor(fullyQualifiedService: service, method: "Interrupt")
    static let releaseSession = MethodDescriptor(fullyQualifiedService: service, method: "ReleaseSession")
    static let clientType = "storehouse"

    init(configuration: SparkConfiguration) throws {
        self.configuration = configuration
        let transport = try HTTP2ClientTransport.Posix(
            target: .dns(host: configuration.host, port: configuration.port),
            transportSecurity: configuration.useSSL ? .tls : .plaintext,
            config: .defaults { config in
                // Result batches of wide tables exceed gRPC's 4 MiB default.
                config.http2.maxFrameSize = 1 << 20
            })
        let client = GRPCClient(transport: transport)
        self.client = client
        connections = Task { try? await client.runConnections() }
    }

    /// Runs a plan and hands each response to `body` as it arrives. `operationID` names the
    /// execution so `interrupt` can stop it.
    func execute(_ plan: Spark_Connect_Plan, operationID: String = UUID().uuidString.lowercased(), sql: String?,
                 _ body: @escaping @Sendable (Spark_Connect_ExecutePlanResponse) throws -> Void) async throws {
        var request = Spark_Connect_ExecutePlanRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.operationID = operationID
        request.plan = plan
        request.clientType = Self.clientType
        if let known = serverSession.value { request.clientObservedServerSideSessionID = known }
        do {
            try await client.serverStreaming(
                request: ClientRequest(message: request, metadata: metadata), descriptor: Self.executePlan,
                serializer: ProtobufSerializer<Spark_Connect_ExecutePlanRequest>(),
                deserializer: ProtobufDeserializer<Spark_Connect_ExecutePlanResponse>(),
                options: callOptions
            ) { response in
                for try await message in response.messages {
                    if !message.serverSideSessionID.isEmpty { self.serverSession.value = message.serverSideSessionID }
                    try body(message)
                }
            }
        } catch let error as RPCError {
            throw SparkErrors.warehouseError(error, sql: sql, endpoint: configuration.endpoint)
        }
    }

    /// Asks the server to stop one running execution; true when it reports having stopped it.
    @discardableResult
    func interrupt(operationID: String) async -> Bool {
        var request = Spark_Connect_InterruptRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = Self.clientType
        request.interruptType = .operationID
        request.operationID = operationID
        let response = try? await client.unary(
            request: ClientRequest(message: request, metadata: metadata), descriptor: Self.interrupt,
            serializer: ProtobufSerializer<Spark_Connect_InterruptRequest>(),
            deserializer: ProtobufDeserializer<Spark_Connect_InterruptResponse>(), options: callOptions
        ) { try $0.message }
        return response?.interruptedIds.contains(operationID) ?? false
    }

    /// Ends the session on the server (its temporary views and settings go) and closes the channel.
    func close() async {
        var request = Spark_Connect_ReleaseSessionRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = Self.clientType
        _ = try? await client.unary(
            request: ClientRequest(message: request, metadata: metadata), descriptor: Self.releaseSession,
            serializer: ProtobufSerializer<Spark_Connect_ReleaseSessionRequest>(),
            deserializer: ProtobufDeserializer<Spark_Connect_ReleaseSessionResponse>(), options: callOptions
        ) { try $0.message }
        client.beginGracefulShutdown()
        await connections.value
    }

    private var userContext: Spark_Connect_UserContext {
        var context = Spark_Connect_UserContext()
        context.userID = configuration.user
        context.userName = configuration.user
        return context
    }

    private var metadata: Metadata {
        var metadata = Metadata()
        if let token = configuration.token { metadata.addString("Bearer \(token)", forKey: "authorization") }
        return metadata
    }

    private var callOptions: CallOptions {
        var options = CallOptions.defaults
        options.maxResponseMessageBytes = 256 << 20
        options.maxRequestMessageBytes = 256 << 20
        if let limit = configuration.statementTimeout { options.timeout = limit }
        return options
    }
}

/// The server's id for the session, as it last reported it; sent back so a server that restarted
/// (and so lost the session's state) is noticed instead of silently starting afresh.
private final class ServerSessionID: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
