; A boot sector for the screen tests: below SeaBIOS's own lines it prints a banner on the VGA text screen (through
; the video BIOS) and on COM1, hides the cursor so that the screen stays still, says "keys:" on COM1, and then
; echoes every key the keyboard BIOS returns to COM1.
bits 16
org 0x7c00
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    mov ah, 0x01                ; cursor shape: CH bit 5 hides it
    mov cx, 0x2000
    int 0x10
    mov si, banner
.print:
    lodsb
    test al, al
    jz .keys
    mov ah, 0x0e
    mov bx, 0x0007
    int 0x10
    call serial
    jmp .print
.keys:
    mov si, prompt
.prompt:
    lodsb
    test al, al
    jz .echo
    call serial
    jmp .prompt
.echo:
    xor ah, ah
    int 0x16
    call serial
    jmp .echo

; Writes AL to COM1 once its transmitter is empty.
serial:
    push ax
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dx, 0x3f8
    out dx, al
    ret

banner: db "Domus screen test: the quick brown fox jumps over the lazy dog", 13, 10, 0
prompt: db "keys:", 0
    times 510-($-$$) db 0
    dw 0xaa55
    times 65536-($-$$) db 0
