; An El Torito no-emulation boot image (the tests' build wraps it in an ISO with xorriso): SeaBIOS loads its four
; 512-byte sectors at 0000:7C00 with the CD's drive number in DL. It reads the disc's primary volume descriptor
; (block 16) through INT 13h, checks its "CD001" identifier, and exits 0x2b.
bits 16
org 0x7c00
    jmp main

%include "bootlib.inc"

main:
    mov si, booted
    boot_start
    read_lba 16
    mov si, 0x8001
    mov di, identifier
    mov cx, 5
    repe cmpsb
    jne failed
    mov si, found
    call print
    mov al, 0x2b
    jmp exit

    boot_data
booted: db "El Torito: ", 0
identifier: db "CD001"
found: db "primary volume descriptor: CD001", 10, 0
    times 2048-($-$$) db 0
