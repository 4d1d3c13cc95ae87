; The VNC benchmark's guest, a boot sector: it finds the standard VGA (PCI 1234:1111) on bus 0, sets a 1024x768,
; 32 bits per pixel Bochs VBE mode through the DISPI ports (0x1CE/0x1CF) with its linear framebuffer at BAR 0, paints
; every pixel (x, y), row by row, as red = x / 4, green = y / 4, blue = the top byte of a linear congruential
; generator stepped once per pixel (state = state * 1103515245 + 12345, from 1), and then forever adds one to every
; pixel of line 384. ScreenPattern.cs in the benchmark paints the same picture.
%include "protected.inc"
%define WIDTH 1024
%define HEIGHT 768
%define LINE 384
bits 16
org 0x7c00
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    ENTER_PROTECTED_MODE
    mov esp, 0x7c00
    mov ebx, 0x80000000             ; PCI configuration address: bus 0, device 0, function 0, register 0
.find:
    mov eax, ebx
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfc
    in eax, dx
    cmp eax, 0x11111234             ; device 1111, vendor 1234
    je .found
    add ebx, 0x800                  ; the next device
    cmp ebx, 0x80010000
    jb .find
.halt:
    hlt
    jmp .halt
.found:
    lea eax, [ebx + 0x10]           ; BAR 0, where SeaBIOS placed the framebuffer
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfc
    in eax, dx
    and eax, 0xfffffff0
    mov edi, eax
    cld
    mov esi, dispi
.register:                          ; index/value pairs to the DISPI index and data ports
    mov dx, 0x1ce
    lodsw
    out dx, ax
    inc dx
    lodsw
    out dx, ax
    cmp esi, dispi.end
    jb .register
    push edi
    mov esi, 1                      ; the generator's state
    xor edx, edx                    ; y
.row:
    xor ecx, ecx                    ; x
.pixel:
    imul esi, esi, 1103515245
    add esi, 12345
    mov eax, ecx
    shr eax, 2
    shl eax, 8
    mov ebp, edx
    shr ebp, 2
    or eax, ebp                     ; 0x0000RRGG
    shl eax, 8
    mov ebp, esi
    shr ebp, 24
    or eax, ebp                     ; 0x00RRGGBB
    stosd
    inc ecx
    cmp ecx, WIDTH
    jb .pixel
    inc edx
    cmp edx, HEIGHT
    jb .row
    pop edi
    add edi, LINE * WIDTH * 4
.line:
    mov ebx, edi
    mov ecx, WIDTH
.add:
    inc dword [ebx]
    add ebx, 4
    loop .add
    jmp .line

dispi:                              ; disable, 1024x768 at 32 bits, enable with the linear framebuffer
    dw 4, 0x00, 1, WIDTH, 2, HEIGHT, 3, 32, 4, 0x41
.end:
align 8
    FLAT_GDT
    times 510-($-$$) db 0
    dw 0xaa55
    times 65536-($-$$) db 0
