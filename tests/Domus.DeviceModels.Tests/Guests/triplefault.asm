; A boot sector that the processor cannot survive: with an empty interrupt table, ud2 raises #UD, whose delivery
; fails, and so on to a triple fault, which ends the machine as crashed.
bits 16
org 0x7c00
    cli
    xor ax, ax
    mov ds, ax
    lidt [empty]
    ud2
empty:
    dw 0
    dd 0
    times 510-($-$$) db 0
    dw 0xaa55
    times 65536-($-$$) db 0
