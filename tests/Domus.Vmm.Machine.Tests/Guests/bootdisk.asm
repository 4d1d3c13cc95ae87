; A hard disk image for hda: SeaBIOS loads its boot sector at 0000:7C00 with the boot drive in DL (0x80). The boot
; sector reads the disk's second sector with INT 13h's extended read, prints the text found there, and exits 0x2a.
bits 16
org 0x7c00
    jmp main

%include "bootlib.inc"

main:
    mov si, booted
    boot_start
    read_lba 1
    mov si, 0x8000
    call print
    mov al, 0x2a
    jmp exit

    boot_data
booted: db "boot sector: ", 0
    times 510-($-$$) db 0
    dw 0xaa55

    db "second sector: read through INT 13h", 10, 0
    times 65536-($-$$) db 0
