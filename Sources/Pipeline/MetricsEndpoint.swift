import Foundation
import Prometheus
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.0 responder for `/metrics` and `/health` on a local port. Scrapes
/// are rare and tiny, so one blocking accept loop on its own thread is enough and keeps
/// a web framework out of the binary.
public final class MetricsEndpoint: Service, @unchecked Sendable {
    public let port: Int
    private let registry: PrometheusCollectorRegistry
    private let health: HealthState
    private let listener: Int32

    public init(host: String = "127.0.0.1", port: Int, registry: PrometheusCollectorRegistry, health: HealthState) throws {
        self.registry = registry
        self.health = health
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EndpointError("metrics: cannot create socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw EndpointError("metrics: bad host \(host)") }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw EndpointError("metrics: cannot listen on \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.listener = fd
    }

    public func run() async throws {
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
        try? await gracefulShutdown()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            var tv = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var buf = [UInt8](repeating: 0, count: 4096)
            let n = recv(client, &buf, buf.count, 0)
            let request = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : ""
            let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            let (status, type, body): (String, String, [UInt8])
            switch path {
            case "/metrics": (status, type, body) = ("200 OK", "text/plain; version=0.0.4", registry.emitToBuffer())
            case "/health", "/healthz": (status, type, body) = ("200 OK", "application/json", Array(health.json.utf8))
            default: (status, type, body) = ("404 Not Found", "text/plain", Array("not found\n".utf8))
            }
            let head = "HTTP/1.0 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            let out = Array(head.utf8) + body
            _ = out.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client)
        }
    }

    struct EndpointError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
