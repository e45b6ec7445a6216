// systemd, Unix datagram sockets and POSIX signals: these tests run on Linux (CI included).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
