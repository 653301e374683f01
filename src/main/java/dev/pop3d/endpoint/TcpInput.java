package dev.pop3d.endpoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * The input side of a TCP connection, in order and with the end of input as an event: a client that
 * pipelines its commands and half-closes ({@code shutdown(SHUT_WR)}, as {@code nc -N} or a script
 * does) must still get every reply. Vert.x 4 closes the whole connection on the client's FIN, so
 * this allows half-closure on the channel and reports the FIN after the last bytes before it.
 * Reading stops at the socket ({@link #pause()}: TCP pushes back on the client) and resumes on
 * {@link #resume()}; at most the one read in progress still arrives after a pause.
 */
public final class TcpInput {
    /** Called on the connection's event loop. */
    public interface Receiver {
        void received(byte[] bytes);

        /** The client will send nothing more; replies can still be written. */
        void inputEnded();
    }

    private final Channel channel;

    private TcpInput(Channel channel) {
        this.channel = channel;
    }

    /** Takes over the socket's input; call from the connect handler, before the first read. */
    public static TcpInput attach(NetSocket socket, Receiver receiver) {
        NetSocketInternal internal = (NetSocketInternal) socket;
        Channel channel = internal.channelHandlerContext().channel();
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // messages in read order, straight from the channel: no second buffer behind Vert.x's pause
        internal.messageHandler(message -> {
            try {
                if (message instanceof ByteBuf buffer) {
                    byte[] bytes = new byte[buffer.readableBytes()];
                    buffer.readBytes(bytes);
                    receiver.received(bytes);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        });
        internal.eventHandler(event -> {
            if (event instanceof ChannelInputShutdownEvent) {
                receiver.inputEnded();
            }
        });
        return new TcpInput(channel);
    }

    public void pause() {
        channel.config().setAutoRead(false);
    }

    public void resume() {
        channel.config().setAutoRead(true);
    }
}
