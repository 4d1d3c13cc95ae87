; Real mode to protected mode to long mode: the guest builds identity-mapped page tables (one 2 MiB page),
; enables PAE, EFER.LME and paging, jumps to 64-bit code, writes a line on COM1 and exits 0.
%include "protected.inc"
org 0x1000
    ENTER_PROTECTED_MODE
    cld
    mov edi, 0x20000
    xor eax, eax
    mov ecx, 3 * 1024
    rep stosd
    mov dword [0x20000], 0x21003
    mov dword [0x21000], 0x22003
    mov dword [0x22000], 0x00000083
    mov eax, 0x20000
    mov cr3, eax
    mov eax, cr4
    or eax, 0x20
    mov cr4, eax
    mov ecx, 0xC0000080
    rdmsr
    or eax, 0x100
    wrmsr
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp 0x18:long_mode
bits 64
long_mode:
    mov rsi, message
    mov rcx, message_end - message
    mov dx, 0x3f8
    rep outsb
    mov dx, 0x501
    mov al, 0
    out dx, al
    hlt
align 8
    FLAT_GDT 0x00AF9A000000FFFF
message: db "long mode: 64-bit"
message_end:
