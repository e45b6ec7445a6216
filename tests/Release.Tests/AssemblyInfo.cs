// The release is built and its Linux archive run here, on Linux (file modes, sha256sum, tar, bash).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
