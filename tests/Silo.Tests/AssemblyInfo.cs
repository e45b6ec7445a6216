// The suites drive POSIX processes, signals and file modes: Linux is where they run (CI included).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
