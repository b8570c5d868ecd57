/* Stand-in for bcryptprimitives.dll's ProcessPrng, which Wine 8 lacks and the Rust standard
 * library inside cryptography's _rust.pyd imports (Windows 10+ has it). It asks Wine's
 * bcrypt for the system RNG, as the real one does. Used only under Wine by wine_ci.sh. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len) {
        ULONG part = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, part, BCRYPT_USE_SYSTEM_PREFERRED_RNG) < 0) return FALSE;
        data += part;
        len -= part;
    }
    return TRUE;
}
