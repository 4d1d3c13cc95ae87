using System.Buffers.Binary;
using System.Text;

namespace Domus.Vmm.Devices.Storage;

/// <summary>
/// A device at one position of an IDE channel: the command protocol common to ATA disks and ATAPI drives, and
/// the PIO data engine. A command either completes at once or opens a data block (DRQ) that the host reads or
/// writes through the data register; when the block is through, <see cref="OnBlockTransferred"/> decides what
/// follows. A DMA command instead prepares a transfer (<see cref="RequestDma"/>) that the channel's bus master
/// moves through <see cref="MoveDma"/>. The channel serialises every call.
/// </summary>
public abstract class AtaDevice
{
    protected const int SectorSize = 512;

    private readonly byte[] _buffer;
    private int _position;
    private int _length;
    private bool _toHost;
    private Action? _requestInterrupt;
    private long _dmaRemaining;
    private int? _multiwordDmaMode;
    private int? _ultraDmaMode = 5;

    protected AtaDevice(int largestBlock)
    {
        _buffer = new byte[largestBlock];
    }

    /// <summary>ATAPI devices answer IDENTIFY PACKET DEVICE and take SCSI commands in packets.</summary>
    public abstract bool IsPacketDevice { get; }

    public byte Status { get; private set; }

    /// <summary>A DMA command waits for the bus master to move <see cref="DmaRemaining"/> bytes.</summary>
    internal bool DmaPending => _dmaRemaining > 0;

    internal long DmaRemaining => _dmaRemaining;

    /// <summary>The pending DMA moves data from the device into memory (a read), not the other way.</summary>
    internal bool DmaToMemory { get; private set; }

    /// <summary>The task file of the device's position; the channel provides it.</summary>
    protected AtaTaskFile Registers { get; private set; } = new();

    internal void Attach(AtaTaskFile registers, Action requestInterrupt)
    {
        Registers = registers;
        _requestInterrupt = requestInterrupt;
        Reset();
    }

    /// <summary>Power-on or software reset: any transfer is abandoned and the signature is set.</summary>
    public void Reset()
    {
        _length = 0;
        _dmaRemaining = 0;
        Registers.SetSignature(IsPacketDevice);
        Status = IsPacketDevice ? (byte)0 : AtaStatus.Idle;
        OnReset();
    }

    /// <summary>A command written to the command register while this device is selected.</summary>
    public void Execute(byte command)
    {
        _length = 0;
        _dmaRemaining = 0;
        Registers.Error = 0;
        switch (command)
        {
            case 0x90: // EXECUTE DEVICE DIAGNOSTIC
                Registers.SetSignature(IsPacketDevice);
                Status = IsPacketDevice ? (byte)0 : AtaStatus.Idle;
                _requestInterrupt?.Invoke();
                break;
            case 0xE5: // CHECK POWER MODE: always active
                Registers.SectorCount = 0xFF;
                Complete();
                break;
            case >= 0xE0 and <= 0xE3: // STANDBY IMMEDIATE, IDLE IMMEDIATE, STANDBY, IDLE
                Complete();
                break;
            case 0xEF: // SET FEATURES: caching and look-ahead are accepted and change nothing; IDENTIFY reports the transfer mode
                if (Registers.Features is 0x02 or 0x82 or 0x55 or 0xAA or 0x66 or 0xCC
                    || (Registers.Features == 0x03 && SelectTransferMode(Registers.SectorCount)))
                {
                    Complete();
                }
                else
                {
                    Fail(AtaError.Abort);
                }

                break;
            default:
                if (!ExecuteCommand(command))
                {
                    Fail(AtaError.Abort);
                }

                break;
        }
    }

    /// <summary>The host reads the data register (2 or 4 bytes, or a byte).</summary>
    public void ReadData(Span<byte> data)
    {
        if (!_toHost || _position >= _length)
        {
            data.Fill(0xFF);
            return;
        }

        var count = Math.Min(data.Length, _length - _position);
        _buffer.AsSpan(_position, count).CopyTo(data);
        data[count..].Fill(0xFF);
        Advance(count);
    }

    /// <summary>The host writes the data register.</summary>
    public void WriteData(ReadOnlySpan<byte> data)
    {
        if (_toHost || _position >= _length)
        {
            return;
        }

        var count = Math.Min(data.Length, _length - _position);
        data[..count].CopyTo(_buffer.AsSpan(_position));
        Advance(count);
    }

    /// <summary>The bus master moves the next part of the pending DMA transfer between the device and <paramref name="memory"/>.</summary>
    internal void TransferDma(Span<byte> memory)
    {
        if (!MoveDma(memory))
        {
            return;
        }

        _dmaRemaining -= memory.Length;
        if (_dmaRemaining == 0)
        {
            OnDmaComplete();
        }
    }

    /// <summary>The bus master could not move the data (its descriptors were bad or too short): the command fails.</summary>
    internal void AbortDma()
    {
        _dmaRemaining = 0;
        OnDmaAborted();
    }

    /// <summary>Carries out a command the common set does not cover; false aborts it.</summary>
    protected abstract bool ExecuteCommand(byte command);

    /// <summary>The data block opened by <see cref="SendToHost"/> or <see cref="ReceiveFromHost"/> is through.</summary>
    protected abstract void OnBlockTransferred(ReadOnlySpan<byte> block);

    protected virtual void OnReset()
    {
    }

    /// <summary>
    /// Moves the next <paramref name="memory"/>.Length bytes of the pending DMA transfer into or out of guest memory.
    /// False when the device failed the command (its storage failed), having said so with <see cref="Fail"/>.
    /// </summary>
    protected abstract bool MoveDma(Span<byte> memory);

    /// <summary>The last byte of a DMA transfer has moved.</summary>
    protected virtual void OnDmaComplete() => Complete();

    protected virtual void OnDmaAborted() => Fail(AtaError.Abort);

    /// <summary>
    /// Prepares a DMA transfer of <paramref name="length"/> bytes; it runs when the host starts the bus master (or at
    /// once, when the host started it first). DRQ shows, as drives show it while their data phase lasts.
    /// </summary>
    protected void RequestDma(long length, bool toMemory)
    {
        _dmaRemaining = length;
        DmaToMemory = toMemory;
        Status = AtaStatus.Idle | AtaStatus.DataRequest;
    }

    /// <summary>The buffer a block is built in before <see cref="SendToHost"/>.</summary>
    protected Span<byte> Block(int length) => _buffer.AsSpan(0, length);

    /// <summary>Offers <paramref name="length"/> bytes of <see cref="Block"/> to the host, with an interrupt.</summary>
    protected void SendToHost(int length) => OpenBlock(length, toHost: true, interrupt: true);

    /// <summary>Asks the host for <paramref name="length"/> bytes; the first block of a command comes without an interrupt.</summary>
    protected void ReceiveFromHost(int length, bool interrupt) => OpenBlock(length, toHost: false, interrupt);

    /// <summary>The command is done; data-in commands end quietly after their last block.</summary>
    protected void Complete(bool interrupt = true)
    {
        Status = AtaStatus.Idle;
        if (interrupt)
        {
            _requestInterrupt?.Invoke();
        }
    }

    protected void Fail(byte error)
    {
        _length = 0;
        _dmaRemaining = 0;
        Registers.Error = error;
        Status = AtaStatus.Ready | AtaStatus.Error;
        _requestInterrupt?.Invoke();
    }

    /// <summary>Writes the IDENTIFY checksum (word 255): the 512 bytes sum to zero, with 0xA5 as signature.</summary>
    protected static void SealIdentify(Span<byte> identify)
    {
        identify[510] = 0xA5;
        byte sum = 0;
        foreach (var b in identify[..511])
        {
            sum += b;
        }

        identify[511] = (byte)-sum;
    }

    /// <summary>
    /// IDENTIFY's DMA words: DMA supported (49), word 88 valid (53), multiword DMA modes 0-2 (63) and Ultra DMA modes
    /// 0-5 (88) supported, with the mode SET FEATURES selected. <paramref name="capabilities"/> and
    /// <paramref name="validity"/> are the device's other bits of words 49 and 53.
    /// </summary>
    protected void PutDmaWords(Span<byte> identify, int capabilities, int validity)
    {
        PutWord(identify, 49, capabilities | 0x0100);
        PutWord(identify, 53, validity | 0x0004);
        PutWord(identify, 63, 0x0007 | (_multiwordDmaMode is { } multiword ? 0x0100 << multiword : 0));
        PutWord(identify, 88, 0x003F | (_ultraDmaMode is { } ultra ? 0x0100 << ultra : 0));
    }

    protected static void PutWord(Span<byte> identify, int word, int value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(identify[(word * 2)..], (ushort)value);

    /// <summary>IDENTIFY strings are space-padded with the two characters of each word swapped.</summary>
    protected static void PutString(Span<byte> identify, int word, int words, string text)
    {
        var field = identify.Slice(word * 2, words * 2);
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, field.Length)), field);
        for (var i = 0; i < field.Length; i += 2)
        {
            (field[i], field[i + 1]) = (field[i + 1], field[i]);
        }
    }

    /// <summary>
    /// SET FEATURES 0x03: the sector count names a PIO mode (0x00, 0x01, 0x08-0x0C), a multiword DMA mode
    /// (0x20-0x22) or an Ultra DMA mode (0x40-0x45). One mode is in effect at a time, so a PIO mode deselects DMA.
    /// </summary>
    private bool SelectTransferMode(byte mode)
    {
        (int?, int?)? selection = mode switch
        {
            <= 0x01 or (>= 0x08 and <= 0x0C) => (null, null),
            >= 0x20 and <= 0x22 => (mode & 0x07, null),
            >= 0x40 and <= 0x45 => (null, mode & 0x07),
            _ => null,
        };
        if (selection is not { } selected)
        {
            return false;
        }

        (_multiwordDmaMode, _ultraDmaMode) = selected;
        return true;
    }

    private void OpenBlock(int length, bool toHost, bool interrupt)
    {
        _position = 0;
        _length = length;
        _toHost = toHost;
        Status = AtaStatus.Idle | AtaStatus.DataRequest;
        if (interrupt)
        {
            _requestInterrupt?.Invoke();
        }
    }

    private void Advance(int count)
    {
        _position += count;
        if (_position < _length)
        {
            return;
        }

        _length = 0;
        Status = AtaStatus.Idle;
        OnBlockTransferred(_buffer.AsSpan(0, _position));
    }
}
