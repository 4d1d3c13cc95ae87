; A boot sector for the graphics test: through the video BIOS's VBE functions it switches to mode 0x112 (640x480,
; direct colour) with its linear framebuffer, then, in flat 32-bit protected mode, paints every pixel (x, y) as
; red = x mod 256, green = y mod 256, blue = (x xor y) mod 256, at the depth and pitch the mode reports, and says
; "drawn" on COM1 (or "no vbe" when the BIOS refuses).
%include "protected.inc"
bits 16
org 0x7c00
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    mov word [report], novbe
    mov ax, 0x4f01              ; mode information into 0:0x8000
    mov cx, 0x0112
    mov di, 0x8000
    int 0x10
    cmp ax, 0x004f
    jne .report
    mov ax, 0x4f02              ; set the mode, with its linear framebuffer (bit 14)
    mov bx, 0x4112
    int 0x10
    cmp ax, 0x004f
    jne .report
    mov word [report], drawn
.report:
    ENTER_PROTECTED_MODE
    mov esp, 0x7c00
    cmp word [report], drawn
    jne .say
    movzx ebp, word [0x8000 + 0x10] ; bytes per scan line
    movzx ecx, byte [0x8000 + 0x19] ; bits per pixel
    shr ecx, 3                      ; bytes per pixel
    mov edi, [0x8000 + 0x28]        ; the framebuffer's physical address
    xor edx, edx                    ; y
.row:
    push edi
    xor ebx, ebx                    ; x
.pixel:
    mov eax, ebx
    xor eax, edx
    mov [edi], al                   ; blue
    mov [edi + 1], dl               ; green
    mov [edi + 2], bl               ; red
    add edi, ecx
    inc ebx
    cmp ebx, 640
    jb .pixel
    pop edi
    add edi, ebp
    inc edx
    cmp edx, 480
    jb .row
.say:
    movzx esi, word [report]
.next:
    lodsb                           ; the report, to COM1
    test al, al
    jz .halt
    mov ah, al
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, ah
    mov dx, 0x3f8
    out dx, al
    jmp .next
.halt:
    hlt
    jmp .halt

report: dw 0
drawn: db "drawn", 13, 10, 0
novbe: db "no vbe", 13, 10, 0
align 8
    FLAT_GDT
    times 510-($-$$) db 0
    dw 0xaa55
    times 65536-($-$$) db 0
