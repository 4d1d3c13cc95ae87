; Real mode to 32-bit protected mode; an MMIO write and read at 0xD0000000 (the test device answers the value
; written plus one), a line on COM1, exit 0; exit 1 if the MMIO answer was wrong.
%include "protected.inc"
org 0x1000
    ENTER_PROTECTED_MODE
    mov esp, 0x8000
    mov dword [0xD0000000], 0x12345678
    mov eax, [0xD0000004]
    cmp eax, 0x12345679
    jne fail
    cld
    mov esi, message
    mov ecx, message_end - message
    mov dx, 0x3f8
    rep outsb
    mov dx, 0x501
    mov al, 0
    out dx, al
    hlt
fail:
    mov dx, 0x501
    mov al, 1
    out dx, al
    hlt
align 8
    FLAT_GDT
message: db "protected mode: MMIO"
message_end:
