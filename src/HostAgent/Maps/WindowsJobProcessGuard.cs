using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// Windows: every map program is put in one Job Object of the agent's, created with
/// <c>JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE</c>. The agent never closes the job's handle, so Windows closes it when the
/// agent's process ends — however it ends, a crash or Task Manager included — and so kills every program in the job
/// and every process they started after being assigned. Windows has no SIGTERM: stopping kills the tree.
/// </summary>
public sealed partial class WindowsJobProcessGuard : IChildProcessGuard
{
    internal const uint KillOnJobClose = 0x2000;
    internal const int ExtendedLimitInformationClass = 9;

    private static readonly Lazy<WindowsJobProcessGuard> SharedJob = new(() => new WindowsJobProcessGuard());

    private readonly nint _job;

    private WindowsJobProcessGuard()
    {
        if (!OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Job Objects exist on Windows only");
        _job = CreateJob();
    }

    /// <summary>The agent's one job (created on first use, kept until the process ends).</summary>
    public static WindowsJobProcessGuard Shared => SharedJob.Value;

    public void Start(Process process)
    {
        process.Start();
        if (!OperatingSystem.IsWindows()) return;
        if (!AssignProcessToJobObject(_job, process.Handle))
        {
            var error = new Win32Exception(Marshal.GetLastPInvokeError());
            process.Kill(entireProcessTree: true);
            throw new MapStartException($"cannot put pid {process.Id} in the agent's job object: {error.Message}", error);
        }
    }

    public void RequestStop(Process process) => process.Kill(entireProcessTree: true);

    /// <summary>The limits the job is created with: kill every member when the last handle to the job closes.</summary>
    internal static ExtendedLimitInformation Limits() => new() { Basic = new BasicLimitInformation { LimitFlags = KillOnJobClose } };

    [SupportedOSPlatform("windows")]
    private static nint CreateJob()
    {
        nint job = CreateJobObjectW(0, null);
        if (job == 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "CreateJobObject failed");
        var limits = Limits();
        if (!SetInformationJobObject(job, ExtendedLimitInformationClass, ref limits, (uint)Marshal.SizeOf<ExtendedLimitInformation>()))
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "SetInformationJobObject(KILL_ON_JOB_CLOSE) failed");
        return job;
    }

    /// <summary>JOBOBJECT_BASIC_LIMIT_INFORMATION.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public nuint MinimumWorkingSetSize;
        public nuint MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public nuint Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    /// <summary>JOBOBJECT_EXTENDED_LIMIT_INFORMATION (144 bytes on 64-bit Windows).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ExtendedLimitInformation
    {
        public BasicLimitInformation Basic;
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
        public nuint ProcessMemoryLimit;
        public nuint JobMemoryLimit;
        public nuint PeakProcessMemoryUsed;
        public nuint PeakJobMemoryUsed;
    }

    [LibraryImport("kernel32.dll", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [SupportedOSPlatform("windows")]
    private static partial nint CreateJobObjectW(nint securityAttributes, string? name);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    [SupportedOSPlatform("windows")]
    private static partial bool SetInformationJobObject(nint job, int infoClass, ref ExtendedLimitInformation info, uint length);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    [SupportedOSPlatform("windows")]
    private static partial bool AssignProcessToJobObject(nint job, nint process);
}
