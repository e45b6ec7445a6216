// The suites drive POSIX processes and file modes: Linux is where they run (CI included).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
