; 32-bit protected mode with the in-kernel LAPIC and IOAPIC: masks the 8259 PICs (KVM wires them to the
; bootstrap processor's LINT0 in virtual-wire mode), routes GSI 4 (COM1) to vector 0x30, enables COM1's
; transmitter-empty interrupt, and halts; the interrupt handler writes a line, sends EOI and exits 0.
%include "protected.inc"
org 0x1000
    ENTER_PROTECTED_MODE
    mov esp, 0x8000
    mov eax, handler
    mov [idt + 0x30 * 8], ax
    mov word [idt + 0x30 * 8 + 2], 0x08
    mov word [idt + 0x30 * 8 + 4], 0x8E00
    shr eax, 16
    mov [idt + 0x30 * 8 + 6], ax
    lidt [idt_descriptor]
    mov al, 0xFF
    out 0x21, al
    out 0xA1, al
    mov dword [0xFEE000F0], 0x1FF
    mov dword [0xFEC00000], 0x10 + 2 * 4
    mov dword [0xFEC00010], 0x30
    mov dword [0xFEC00000], 0x10 + 2 * 4 + 1
    mov dword [0xFEC00010], 0
    sti
    mov dx, 0x3f9
    mov al, 0x02
    out dx, al
wait_for_it:
    hlt
    jmp wait_for_it
handler:
    cld
    mov esi, message
    mov ecx, message_end - message
    mov dx, 0x3f8
    rep outsb
    mov dword [0xFEE000B0], 0
    mov dx, 0x501
    mov al, 0
    out dx, al
    hlt
align 8
    FLAT_GDT
idt_descriptor:
    dw 0x31 * 8 - 1
    dd idt
message: db "interrupt: IOAPIC vector 0x30"
message_end:
align 8
idt:
    times 0x31 * 8 db 0
