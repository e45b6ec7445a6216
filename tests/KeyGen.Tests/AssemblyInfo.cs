// File modes are a Unix notion; these tests run where the cluster does.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
