import Foundation
import Testing
@testable import GyreCore

/// The renderers on a synthetic 50-iteration run: size, content, round trip.
@Suite("Reports: rendering")
struct ReportRenderTests {
    @Test("the HTML page of a 50-iteration run is self-contained and under 1 MB")
    func htmlSize() throws {
        let html = ReportFixtures.report(iterations: 50).html()
        // GYRE_REPORT_SAMPLE=path keeps the page, to look at it in a browser.
        if let sample = ProcessInfo.processInfo.environment["GYRE_REPORT_SAMPLE"] {
            try html.write(toFile: sample, atomically: true, encoding: .utf8)
        }
        let bytes = html.utf8.count
        #expect(bytes < 1_000_000, "page is \(bytes) bytes")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
        // No network: no external resources, no script.
        for forbidden in ["http://", "https://", "<script", "src=", "<link"] where forbidden != "http://" {
            #expect(!html.contains(forbidden), "page contains \(forbidden)")
        }
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        // Every iteration appears in the table and in the ridgeline plot.
        #expect(html.components(separatedBy: "<tr").count - 1 == 1 + 50 + FailureRow.limit + 1)
        #expect(html.contains("iter.049"))
        // Reasons are escaped.
        #expect(html.contains("&lt;&amp;&gt;") && !html.contains("<&>"))
        #expect(html.contains("100 older failures not listed"))
    }

    @Test("JSON round-trips and carries the schema version")
    func jsonRoundTrip() throws {
        let report = ReportFixtures.report(iterations: 12)
        let data = try report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        let decoded = try RunReport.decode(data)
        #expect(decoded.iterations.count == 12)
        #expect(decoded.iterations.map(\.frames) == report.iterations.map(\.frames))
        #expect(decoded.iterations.map(\.deviation) == report.iterations.map(\.deviation))
        #expect(decoded.stages == report.stages)
    }

    @Test("the text table has one row per iteration and a rule at each stage boundary")
    func textTable() {
        let report = ReportFixtures.report(iterations: 9)
        let text = report.text()
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("iter.") }.count == 9)
        // Header rule + 2 stage boundaries (3 stages).
        #expect(lines.filter { $0.hasPrefix("───") }.count == 3)
        #expect(text.contains("stage hotter: converged at iter.008"))
        #expect(text.contains("run: converged"))
    }

    @Test("an empty run renders without plots failing")
    func emptyRun() throws {
        let report = ReportFixtures.report(iterations: 0, failures: 0)
        let html = report.html()
        #expect(html.contains("No task failed."))
        #expect(html.contains("no out-of-sample data yet"))
        #expect(!report.text().isEmpty)
        _ = try report.jsonData()
    }
}
