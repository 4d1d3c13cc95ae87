; A boot sector for the native device model's lifecycle test. Through SeaBIOS it says hello on COM1, echoes one
; key typed on the console, then waits for the ACPI power button: it enables PWRBTN_EN in the PM1 enable register,
; polls PWRBTN_STS, and answers the press the way an ACPI operating system does, by entering S5 (SLP_EN with
; SLP_TYP 0 in PM1 control). Ports: COM1 0x3F8, PM block 0x600 (PlatformLayout).
bits 16
org 0x7c00
    jmp main

%include "bootlib.inc"

com1_print:                     ; DS:SI, zero-terminated, to COM1
    push ax
    push dx
.next:
    lodsb
    test al, al
    jz .done
    mov dx, 0x3f8
    out dx, al
    jmp .next
.done:
    pop dx
    pop ax
    ret

main:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    cld
    mov si, hello
    call com1_print
.key:                           ; wait for a received byte (LSR bit 0), echo it
    mov dx, 0x3fd
    in al, dx
    test al, 1
    jz .key
    mov dx, 0x3f8
    in al, dx
    mov [typed], al
    mov si, echo
    call com1_print
    mov dx, 0x602               ; PM1_EN: PWRBTN_EN
    mov ax, 0x0100
    out dx, ax
.wait:
    mov dx, 0x600               ; PM1_STS: PWRBTN_STS
    in ax, dx
    test ax, 0x0100
    jz .wait
    out dx, ax                  ; write one to clear
    mov si, pressed
    call com1_print
    mov dx, 0x604               ; PM1_CNT: SLP_EN, SLP_TYP 0 (S5)
    mov ax, 0x2000
    out dx, ax
    hlt

hello: db "domus-dm guest: type a key", 13, 10, 0
echo: db "typed: "
typed: db "?", 13, 10, 0
pressed: db "power button pressed, powering off", 13, 10, 0
    times 510-($-$$) db 0
    dw 0xaa55
    times 65536-($-$$) db 0
