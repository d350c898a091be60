import Foundation

extension WorkflowDecoder {
    /// `train:` keys only the DeePMD-kit engine reads.
    static let deepmdTrainKeys = ["template", "command", "steps", "init_steps", "init_start_lr", "init_model", "finetune", "compress"]

    /// `train.engine: deepmd`: the template (checked now, so `gyre check`
    /// reports a broken one), the `dp` command, steps, and where members start from.
    func decodeDeepmdTraining(_ fields: Fields, _ path: KeyPath) -> DeepmdTraining? {
        var ok = true
        var training: DeepmdTraining?
        if let (template, command) = templateAndCommand(fields, path, what: "a DeePMD-kit input.json template", defaultCommand: "dp") {
            do {
                _ = try DeepmdInputTemplate(contentsOf: template)
                training = DeepmdTraining(template: template, command: command)
            } catch {
                reader.error("\(path / "template"): \(error)", at: fields["template"]?.mark ?? fields.node.mark)
            }
            if command.trimmingCharacters(in: .whitespaces).isEmpty, let node = fields["command"] {
                reader.error("\(path / "command") must name the DeePMD-kit command (e.g. `dp` or `dp --pt`)", at: node.mark)
                ok = false
            }
        }
        // An optional key: absent is nil; present but invalid (already reported) fails the decode.
        func optional<T>(_ key: String, _ decode: (Node, KeyPath) -> T?) -> T? {
            guard let node = fields[key] else { return nil }
            let value = decode(node, path / key)
            if value == nil { ok = false }
            return value
        }
        let steps = optional("steps") { count($0, $1, in: 1...Int.max) }
        let initSteps = optional("init_steps") { count($0, $1, in: 1...Int.max) }
        let initStartLR = optional("init_start_lr") { positive($0, $1, below: 1) }
        let initModel = optional("init_model") { existingPath($0, $1, what: "frozen model") }
        let finetune = optional("finetune") { existingPath($0, $1, what: "pretrained model") }
        let compress = optional("compress") { reader.bool($0, $1) }
        if fields.has("init_model"), fields.has("finetune"), let mark = fields.keyMark("finetune") {
            // `dp train` takes one starting point: --init-frz-model or --finetune.
            reader.error("\(path / "finetune") and \(path / "init_model") exclude each other: a member starts from one model", at: mark)
            ok = false
        }
        guard ok, var training else { return nil }
        training.steps = steps
        training.initSteps = initSteps
        training.initStartLR = initStartLR
        training.initModel = initModel
        training.finetune = finetune
        training.compress = compress ?? false
        return training
    }
}
