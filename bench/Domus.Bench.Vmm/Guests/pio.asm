; The device-model benchmark's firmware: a 64 KiB image whose reset vector jumps to code that writes "S\n" to the
; debug console (port 0x402), writes port 0x80 EXITS times (each write a VM exit the device model handles), writes
; "E\n", and spins. The benchmark times process start to "S" and "S" to "E".
%define EXITS 200000
bits 16
org 0
start:
    mov dx, 0x402
    mov al, 'S'
    out dx, al
    mov al, 10
    out dx, al
    mov ecx, EXITS
.write:
    out 0x80, al
    dec ecx
    jnz .write
    mov al, 'E'
    out dx, al
    mov al, 10
    out dx, al
.spin:
    jmp .spin
    times 0xfff0-($-$$) db 0
reset:
    jmp 0xf000:start
    times 0x10000-($-$$) db 0
