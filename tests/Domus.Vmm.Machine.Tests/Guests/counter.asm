; Real mode at 0000:1000: counts in the dword at 0x2000 forever, without a single exit to the VMM; only a kick
; can take the vCPU out of KVM_RUN.
bits 16
org 0x1000
    xor ax, ax
    mov ds, ax
count:
    inc dword [0x2000]
    jmp count
