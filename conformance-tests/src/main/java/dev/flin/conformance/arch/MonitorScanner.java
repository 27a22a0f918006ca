package dev.flin.conformance.arch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Source;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds {@code synchronized} blocks in a class file. ArchUnit's model records calls, field
 * accesses, try-catch blocks and so on, but not the {@code monitorenter} instruction a
 * {@code synchronized (x) { ... }} block compiles to; so this reads the class file that ArchUnit
 * imported ({@link JavaClass#getSource()}) and decodes the bytecode of every method, instruction by
 * instruction (so an operand byte is never mistaken for an opcode).
 *
 * <p>Threading: stateless.
 */
final class MonitorScanner {

    private static final int MONITORENTER = 0xc2;

    private MonitorScanner() {
    }

    /**
     * @param javaClass an imported class
     * @return the names of its methods (as {@code name(descriptor)}) that contain a
     *         {@code monitorenter}; empty if the class file cannot be read
     */
    static Optional<List<String>> methodsWithSynchronizedBlocks(final JavaClass javaClass) {
        return readClassFile(javaClass).map(MonitorScanner::scan);
    }

    private static Optional<byte[]> readClassFile(final JavaClass javaClass) {
        final Optional<Source> source = javaClass.getSource();
        if (source.isPresent()) {
            final URI uri = source.get().getUri();
            try {
                final URLConnection connection = uri.toURL().openConnection();
                connection.setUseCaches(false); // do not keep jar files open
                try (InputStream in = connection.getInputStream()) {
                    return Optional.of(in.readAllBytes());
                }
            } catch (IOException | IllegalArgumentException e) {
                // fall back to the class loader
            }
        }
        final String resource = javaClass.getName().replace('.', '/') + ".class";
        final ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : MonitorScanner.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param classFile the bytes of a class file
     * @return the methods ({@code name(descriptor)}) whose code contains a {@code monitorenter}
     */
    static List<String> scan(final byte[] classFile) {
        try {
            return scanChecked(classFile);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable class file: " + e, e);
        }
    }

    private static List<String> scanChecked(final byte[] classFile) throws IOException {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("bad magic");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        final int poolCount = in.readUnsignedShort();
        final String[] utf8 = new String[poolCount];
        for (int i = 1; i < poolCount; i++) {
            final int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // takes two slots
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        skip(in, 2 * in.readUnsignedShort()); // interfaces
        final int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            skip(in, 6);
            skipAttributes(in);
        }
        final List<String> found = new ArrayList<>();
        final int methods = in.readUnsignedShort();
        for (int m = 0; m < methods; m++) {
            in.readUnsignedShort(); // access
            final String name = utf8[in.readUnsignedShort()];
            final String descriptor = utf8[in.readUnsignedShort()];
            final int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                final String attribute = utf8[in.readUnsignedShort()];
                final int length = in.readInt();
                if ("Code".equals(attribute)) {
                    final byte[] body = new byte[length];
                    in.readFully(body);
                    if (codeHasMonitorEnter(body)) {
                        found.add(name + descriptor);
                    }
                } else {
                    skip(in, length);
                }
            }
        }
        return found;
    }

    /** @param codeAttribute the body of a Code attribute (max_stack onwards) */
    private static boolean codeHasMonitorEnter(final byte[] codeAttribute) throws IOException {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(codeAttribute));
        in.readUnsignedShort(); // max_stack
        in.readUnsignedShort(); // max_locals
        final int length = in.readInt();
        final byte[] code = new byte[length];
        in.readFully(code);
        int pc = 0;
        while (pc < length) {
            final int opcode = code[pc] & 0xff;
            if (opcode == MONITORENTER) {
                return true;
            }
            pc += instructionLength(code, pc, opcode);
        }
        return false;
    }

    /** Length in bytes of the instruction at {@code pc}, operands included (JVMS chapter 6). */
    static int instructionLength(final byte[] code, final int pc, final int opcode) {
        if (opcode == 0xaa) { // tableswitch
            final int operands = align(pc + 1);
            final int low = readInt(code, operands + 4);
            final int high = readInt(code, operands + 8);
            return operands - pc + 12 + 4 * (high - low + 1);
        }
        if (opcode == 0xab) { // lookupswitch
            final int operands = align(pc + 1);
            final int pairs = readInt(code, operands + 4);
            return operands - pc + 8 + 8 * pairs;
        }
        if (opcode == 0xc4) { // wide
            return (code[pc + 1] & 0xff) == 0x84 ? 6 : 4;
        }
        final int length = LENGTHS[opcode];
        if (length == 0) {
            throw new IllegalArgumentException("invalid opcode 0x" + Integer.toHexString(opcode) + " at " + pc);
        }
        return length;
    }

    private static int align(final int offset) {
        return (offset + 3) & ~3;
    }

    private static int readInt(final byte[] code, final int at) {
        return ((code[at] & 0xff) << 24) | ((code[at + 1] & 0xff) << 16) | ((code[at + 2] & 0xff) << 8) | (code[at + 3] & 0xff);
    }

    /** Fixed instruction lengths by opcode; 0 for the variable ones and for unused opcodes. */
    private static final int[] LENGTHS = new int[256];

    static {
        fill(0x00, 0x0f, 1); // nop .. dconst_1
        LENGTHS[0x10] = 2;   // bipush
        LENGTHS[0x11] = 3;   // sipush
        LENGTHS[0x12] = 2;   // ldc
        LENGTHS[0x13] = 3;   // ldc_w
        LENGTHS[0x14] = 3;   // ldc2_w
        fill(0x15, 0x19, 2); // iload .. aload
        fill(0x1a, 0x35, 1); // iload_0 .. saload
        fill(0x36, 0x3a, 2); // istore .. astore
        fill(0x3b, 0x83, 1); // istore_0 .. lxor
        LENGTHS[0x84] = 3;   // iinc
        fill(0x85, 0x98, 1); // i2l .. dcmpg
        fill(0x99, 0xa8, 3); // ifeq .. jsr
        LENGTHS[0xa9] = 2;   // ret
        fill(0xac, 0xb1, 1); // ireturn .. return
        fill(0xb2, 0xb8, 3); // getstatic .. invokestatic
        LENGTHS[0xb9] = 5;   // invokeinterface
        LENGTHS[0xba] = 5;   // invokedynamic
        LENGTHS[0xbb] = 3;   // new
        LENGTHS[0xbc] = 2;   // newarray
        LENGTHS[0xbd] = 3;   // anewarray
        LENGTHS[0xbe] = 1;   // arraylength
        LENGTHS[0xbf] = 1;   // athrow
        LENGTHS[0xc0] = 3;   // checkcast
        LENGTHS[0xc1] = 3;   // instanceof
        LENGTHS[0xc2] = 1;   // monitorenter
        LENGTHS[0xc3] = 1;   // monitorexit
        LENGTHS[0xc5] = 4;   // multianewarray
        LENGTHS[0xc6] = 3;   // ifnull
        LENGTHS[0xc7] = 3;   // ifnonnull
        LENGTHS[0xc8] = 5;   // goto_w
        LENGTHS[0xc9] = 5;   // jsr_w
        LENGTHS[0xca] = 1;   // breakpoint
        LENGTHS[0xfe] = 1;   // impdep1
        LENGTHS[0xff] = 1;   // impdep2
    }

    private static void fill(final int from, final int to, final int length) {
        for (int op = from; op <= to; op++) {
            LENGTHS[op] = length;
        }
    }

    private static void skipAttributes(final DataInputStream in) throws IOException {
        final int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            skip(in, in.readInt());
        }
    }

    private static void skip(final DataInputStream in, final int bytes) throws IOException {
        in.readFully(new byte[bytes]);
    }
}
