import Foundation

/// Reads frames from any supported file, choosing the format from its name.
public enum FrameFile {
    /// The formats ``read(_:typeMap:)`` recognises.
    public enum Format: String, Sendable, CaseIterable {
        case extxyz, poscar, lammpsData, lammpsDump, deepmdNpy
    }

    /// The format a path names: a directory is deepmd/npy; `.extxyz`/`.xyz` extxyz;
    /// `POSCAR*`, `CONTCAR*`, `.vasp`, `.poscar` POSCAR; `.data`/`.lmp` LAMMPS data;
    /// `.dump`/`.lammpstrj` LAMMPS dump. Nil when the name says nothing.
    public static func format(of url: URL) -> Format? {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue { return .deepmdNpy }
        let name = url.lastPathComponent
        let ext = url.pathExtension.lowercased()
        switch ext {
        case "extxyz", "xyz": return .extxyz
        case "vasp", "poscar": return .poscar
        case "data", "lmp": return .lammpsData
        case "dump", "lammpstrj": return .lammpsDump
        default: break
        }
        let upper = name.uppercased()
        if upper.hasPrefix("POSCAR") || upper.hasPrefix("CONTCAR") { return .poscar }
        if upper.hasPrefix("DUMP") { return .lammpsDump }
        return nil
    }

    /// All frames in the file or deepmd/npy directory. `typeMap` names LAMMPS atom
    /// types (type i+1 = typeMap[i]) and overrides deepmd's `type_map.raw`.
    public static func read(_ url: URL, typeMap: [String]? = nil) throws -> [Frame] {
        guard let format = format(of: url) else {
            throw GyreError(.invalidInput,
                            "cannot tell the format from the name: use .extxyz, .xyz, POSCAR, CONTCAR, .vasp, .data, .lmp, .dump, .lammpstrj or a deepmd/npy directory",
                            at: SourceLocation(file: url.path))
        }
        switch format {
        case .extxyz: return try ExtXYZ.read(url)
        case .poscar: return [try POSCAR.read(url)]
        case .lammpsData: return [try LAMMPSData.read(url, typeMap: typeMap)]
        case .lammpsDump: return try LAMMPSDump.read(url, typeMap: typeMap)
        case .deepmdNpy: return try DeepmdNpy.read(url, typeMap: typeMap)
        }
    }
}
