// The suite drives /proc, POSIX signals, file modes and real processes: Linux is where it runs (CI included).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
