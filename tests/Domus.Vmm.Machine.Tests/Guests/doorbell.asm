; Real mode: rings a doorbell, writing word 1 to port 0x710 a hundred times, then writes word 2 there once (not the
; doorbell's value, so an ordinary exit) and exits 0x2a through the test exit port.
bits 16
org 0x1000
    mov dx, 0x710
    mov cx, 100
ring:
    mov ax, 1
    out dx, ax
    loop ring
    mov ax, 2
    out dx, ax
    mov dx, 0x501
    mov al, 0x2a
    out dx, al
    hlt
