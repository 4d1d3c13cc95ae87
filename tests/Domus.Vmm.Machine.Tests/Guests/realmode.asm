; Real mode at 0000:1000: string I/O (rep outsb) and single-byte port writes to COM1, then the test exit port.
bits 16
org 0x1000
    cld
    mov dx, 0x3f8
    mov si, message
    mov cx, message_end - message
    rep outsb
    mov al, '!'
    out dx, al
    mov dx, 0x501
    mov al, 0x2a
    out dx, al
    hlt
message: db "real mode: string I/O"
message_end:
