// The chaos suite drives POSIX processes, signals and network namespaces: Linux only (CI included).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
