using System.Runtime.InteropServices;

namespace Domus.Vmm.Kvm.Abi;

/// <summary>struct kvm_segment: a segment register with its hidden descriptor part (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmSegment
{
    public ulong Base;
    public uint Limit;
    public ushort Selector;
    public byte Type;
    public byte Present;
    public byte Dpl;
    public byte DefaultBig;
    public byte System;
    public byte Long;
    public byte Granularity;
    public byte Available;
    public byte Unusable;
    public byte Padding;
}
