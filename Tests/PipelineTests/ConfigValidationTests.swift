import Foundation
import Testing
@testable import Pipeline

@Suite struct ConfigValidationTests {
    @Test func dump() throws {
        let (_, problems) = ConfigLoader.validate(pipeline: "broken", root: ConfigPaths.fixtures)
        for p in problems { print("PROBLEM \(p.kind) | \(p)") }
    }
}
