package dev.realtime.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.realtime.support.ClientFrames;
import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.RawPeer;

import static dev.realtime.support.ClientFrames.CONTINUATION;
import static dev.realtime.support.ClientFrames.TEXT;
import static dev.realtime.support.ClientFrames.concat;
import static dev.realtime.support.ClientFrames.frame;
import static dev.realtime.support.ClientFrames.hex;
import static dev.realtime.support.ClientFrames.utf8;

/**
 * The built image keeps RFC 6455's close codes (the in-process suites in dev.realtime.protocol
 * cover every rule; this checks one of each through the image, on a raw socket).
 */
class ImageProtocolIT {
    private static ImageUnderTest image;

    @BeforeAll
    static void start() {
        image = ImageUnderTest.shared();
    }

    @Test
    void aReservedOpcodeIsClosedWith1002() {
        try (RawPeer peer = RawPeer.connect(image)) {
            peer.send(frame(0x3).payload("hi").bytes());
            peer.assertFailedWith(1002);
        }
    }

    @Test
    void invalidUtf8IsClosedWith1007() {
        try (RawPeer peer = RawPeer.connect(image)) {
            // a UTF-16 surrogate (ED A0 80) inside an echo's payload
            peer.send(ClientFrames.text(concat(utf8("{\"type\":\"echo\",\"id\":\"1\",\"payload\":\"a"), hex("ED A0 80"), utf8("\"}"))));
            peer.assertFailedWith(1007);
        }
    }

    @Test
    void theHeaderOfAFrameOverTheLimitIsClosedWith1009BeforeItsPayload() {
        try (RawPeer peer = RawPeer.connect(image)) {
            peer.send(frame(TEXT).declaredLength(65_537).header());
            peer.assertFailedWith(1009);
        }
    }

    @Test
    void aClientClose1000IsEchoedAndTheConnectionEnds() {
        try (RawPeer peer = RawPeer.connect(image)) {
            peer.send(ClientFrames.close(1000, "bye é"));
            peer.nextClose(1000);
            peer.assertHangsUp();
        }
    }

    @Test
    void aCharacterSplitAcrossFragmentsArrivesWhole() {
        byte[] message = utf8(RawPeer.echo("1", "clef 𝄞"));
        int cut = message.length - 5; // inside the 4-byte character
        try (RawPeer peer = RawPeer.connect(image)) {
            peer.send(frame(TEXT).fin(false).payload(java.util.Arrays.copyOf(message, cut)).bytes(),
                      frame(CONTINUATION).payload(java.util.Arrays.copyOfRange(message, cut, message.length)).bytes());
            peer.assertEchoOf("clef 𝄞");
        }
    }
}
