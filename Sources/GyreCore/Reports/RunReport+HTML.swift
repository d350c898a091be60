import Foundation

extension RunReport {
    /// One self-contained page: inline CSS and SVG, no script, no network.
    public func html() -> String {
        let h = SVG.escape
        let date = generatedAt.formatted(.iso8601)
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(run.name)) — gyre report</title>
            <style>\(Self.css)</style></head><body>
            <h1>\(h(run.name)) <span class="state \(run.state.rawValue)">\(run.state.rawValue)</span></h1>
            <p class="meta">\(h(run.workdir)) · report of \(h(date)) · \(iterations.filter { !$0.isFinal }.count) iterations · \
            \(run.labels) labels · \(h(ReportFormat.duration(run.wallSeconds))) wall time</p>
            \(run.state == .running ? "<p class=\"note\">A snapshot taken while the run was going; `gyre report \(h(run.workdir)) --html FILE` writes the latest.</p>" : "")
            <ul class="verdicts">\(verdicts)</ul>
            <h2>Frames per iteration</h2>
            <p class="note">How the ensemble judged every sampled MD frame: accurate (deviation below lo), candidate \
            (between lo and hi, picked for labelling up to the budget), failed (above hi). ✓ marks the iteration where a \
            stage converged.</p>
            \(FractionsChart.svg(self))
            <h2>Force deviation per iteration</h2>
            <p class="note">Distribution of the maximum force deviation between ensemble members over every sampled \
            frame (all rows of model_devi.out, each ridge scaled to its own peak), with the trust window used.</p>
            \(DeviationChart.svg(self))
            <h2>Error against the number of labels</h2>
            <p class="note">Out-of-sample: each iteration's ensemble (mean prediction) on the frames labelled in that \
            iteration, before they were trained on. Training: each member's RMSE on its own training data, averaged.</p>
            \(ErrorsChart.svg(self))
            <h2>Time per step</h2>
            <p class="note">Wall time of each step. The black tick is Gyre's overhead: wall time during which no task \
            ran (writing inputs, reading outputs, selection, ingest, launch latency).</p>
            \(StepTimesChart.svg(self))
            <h2>Iterations</h2>
            \(iterationTable)
            <h2>Failures</h2>
            \(failureTable)
            <footer>gyre report · schema \(schemaVersion) · the same data as <code>gyre report --json</code></footer>
            </body></html>
            """
        page += "\n"
        return page
    }

    private var verdicts: String {
        var items = stages.map { s in
            let text = s.convergedAt.map { "converged at \(WorkdirLayout.iterationName($0))" }
                ?? "not converged after \(s.iterations.count) iteration\(s.iterations.count == 1 ? "" : "s")"
            return "<li class=\"\(s.converged ? "ok" : "no")\">stage <b>\(SVG.escape(s.name))</b>: \(text)</li>"
        }
        items.append(run.state == .converged ? "<li class=\"ok\">run converged; final ensemble trained</li>"
            : run.state == .running ? "<li>run in progress</li>" : "<li class=\"no\">run stopped before convergence</li>")
        return items.joined()
    }

    private var iterationTable: String {
        var rows = ""
        var stage: Int?
        for r in iterations {
            let boundary = stage != nil && stage != r.stageIndex
            stage = r.stageIndex
            let cells = r.frameCells + r.labelCells + r.errorCells + r.timeCells
            rows += "<tr\(boundary ? " class=\"boundary\"" : "")>" + cells.map { "<td>\(SVG.escape($0))</td>" }.joined() + "</tr>"
        }
        return """
            <table><thead><tr><th>iteration</th><th>stage</th><th>cond.</th><th>sampled</th><th>acc %</th><th>cand %</th>\
            <th>fail %</th><th>trust lo–hi (eV/Å)</th><th>picked</th><th>labelled</th><th>label fail</th><th>OOS F (eV/Å)</th>\
            <th>OOS E (meV/atom)</th><th>train F (eV/Å)</th><th>train E (meV/atom)</th><th>train time</th><th>explore time</th>\
            <th>select time</th><th>label time</th><th>ingest time</th><th>overhead</th></tr></thead><tbody>\(rows)</tbody></table>
            <p class="note">* adaptive lower bound. Labels done ≤ picked: failed labels are left out of the data.</p>
            """
    }

    private var failureTable: String {
        guard !failures.isEmpty else { return "<p>No task failed.</p>" }
        let rows = failures.map { f in
            "<tr class=\"\(f.final ? "final" : "retried")\"><td>\(SVG.escape(WorkdirLayout.iterationName(f.iteration)))</td>"
                + "<td>\(SVG.escape(f.step))</td><td>\(SVG.escape(f.directory))</td><td>\(f.final ? "failed" : "retried")</td>"
                + "<td>\(SVG.escape(f.at.formatted(.iso8601)))</td><td class=\"reason\">\(SVG.escape(f.reason))</td></tr>"
        }.joined()
        let omitted = failuresOmitted > 0 ? "<p class=\"note\">\(failuresOmitted) older failures not listed.</p>" : ""
        return "<table class=\"failures\"><thead><tr><th>iteration</th><th>step</th><th>task</th><th>outcome</th><th>at</th><th>reason</th></tr></thead>"
            + "<tbody>\(rows)</tbody></table>\(omitted)"
    }

    static let css = """
        body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:1140px;margin:24px auto;padding:0 16px;background:#fff}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 4px;border-bottom:1px solid #ddd;padding-bottom:3px}
        .meta,.note{color:#666;margin:2px 0 8px}.note{font-size:12.5px}
        .state{font-size:13px;padding:2px 8px;border-radius:10px;vertical-align:middle;background:#eee}
        .state.converged{background:#d4f0e3;color:#00643f}.state.stopped{background:#fbe3d6;color:#8a3300}
        .state.running{background:#dcebf7;color:#004a80}
        .verdicts{margin:6px 0;padding-left:18px}.verdicts .ok{color:#00643f}.verdicts .no{color:#8a3300}
        svg{display:block;max-width:100%;height:auto}
        table{border-collapse:collapse;font-size:11px;width:100%;margin:6px 0}
        th,td{border-bottom:1px solid #eee;padding:3px 4px;text-align:right;white-space:nowrap}th{white-space:normal;vertical-align:bottom}
        th{background:#f5f5f5;font-weight:600}td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}
        tr.boundary td{border-top:2px solid #888}tr.final td{color:#8a3300}td.reason{text-align:left;white-space:normal}
        table.failures th,table.failures td{text-align:left}
        footer{margin:32px 0 8px;color:#999;font-size:12px}
        """
}
